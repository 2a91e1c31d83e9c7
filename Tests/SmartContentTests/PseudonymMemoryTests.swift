import Foundation
import SmartContent
import SmartContentDomain
import Testing
import TestSupport

/// An import seals chunk after chunk remembering the pseudonyms it met; an erasure in
/// between must not let it keep using one that no longer stands for anyone.
@Suite struct PseudonymMemoryTests {
    @Test func aRememberedPseudonymIsForgottenOnceAnySubjectIsErased() throws {
        let directory = TemporaryDirectory("pseudonyms")
        defer { directory.remove() }
        let vault = try PersonalDataVault(directory: directory.path)
        defer { vault.close() }
        let reader = try #require(ReaderID(rawValue: "jane.doe@corp.example"))
        let view = DomainEvent.engagementRecorded(EngagementRecorded(
            contentId: "cnt_1", kind: .view, userId: reader, occurredAt: Instant(millisecondsSince1970: 0)))
        func pseudonym(_ events: [DomainEvent]) throws -> ReaderID? {
            guard case .engagementRecorded(let sealed) = events[0] else { return nil }
            return sealed.userId
        }

        var memory = PersonalDataVault.PseudonymMemory()
        let first = try #require(try pseudonym(vault.seal([view], remembering: &memory)))
        #expect(first != reader && ReaderPseudonym(rawValue: first.rawValue) != nil, "the reader id never reaches the log")
        #expect(try pseudonym(vault.seal([view], remembering: &memory)) == first)

        try vault.destroyKey(of: first.rawValue, at: Instant(millisecondsSince1970: 1))
        let afterErasure = try #require(try pseudonym(vault.seal([view], remembering: &memory)))
        #expect(afterErasure != first, "an erased pseudonym is never used again")
        #expect(try pseudonym(vault.seal([view])) == afterErasure, "as a seal without memory does")
    }

    @Test func revealingMoreReadersThanItRemembersStillRevealsEachOne() throws {
        let directory = TemporaryDirectory("pseudonyms")
        defer { directory.remove() }
        let vault = try PersonalDataVault(directory: directory.path)
        defer { vault.close() }
        let readers = try (0..<5).map { try #require(ReaderID(rawValue: "reader-\($0)")) }
        let events = readers.map { reader in
            DomainEvent.engagementRecorded(EngagementRecorded(
                contentId: "cnt_1", kind: .view, userId: reader, occurredAt: Instant(millisecondsSince1970: 0)))
        }
        let pseudonyms = try vault.seal(events).map { event -> ReaderID in
            guard case .engagementRecorded(let sealed) = event, let pseudonym = sealed.userId else {
                throw CancellationError()
            }
            return pseudonym
        }
        #expect(Set(pseudonyms).isDisjoint(with: readers))
        let reveal = vault.readerRevealer(remembering: 2)
        for _ in 0..<3 {
            #expect(try pseudonyms.map(reveal) == readers)
            #expect(try readers.map(reveal) == readers, "an id that is no pseudonym stands for itself")
        }
    }
}
