import SmartContentDomain
import Testing

@Suite struct ValidationTests {
    @Test func passwordsNeedTwelveCharactersOfMixedClasses() throws {
        for good in ["Correct-Horse-9", "abcdefghijK1", "ABCDEFGHIJK!1", "pässwörd-Lang1"] {
            #expect(throws: Never.self) { try Validation.password(good) }
        }
        for bad in ["Short1!", "alllowercaseletters", "ALLUPPERCASE1234", "123456789012", String(repeating: "aA1", count: 50)] {
            #expect(throws: DomainError.self) { try Validation.password(bad) }
        }
    }

    @Test func emailsAreNormalized() throws {
        #expect(try Validation.email("  Alice@Example.COM ") == "alice@example.com")
        for bad in ["alice", "alice@", "@example.com", "alice@example", "a b@example.com", "alice@.com"] {
            #expect(throws: DomainError.invalid("email", "a valid email address is required")) { try Validation.email(bad) }
        }
    }

    @Test func textLimitsAndTimezones() throws {
        #expect(try Validation.title("  Hi  ") == "Hi")
        #expect(throws: DomainError.self) { try Validation.title("   ") }
        #expect(throws: DomainError.self) { try Validation.title(String(repeating: "t", count: 201)) }
        #expect(try Validation.keywords(["AI", "ai", " Swift "]) == ["AI", "Swift"])
        #expect(throws: DomainError.self) { try Validation.keywords(Array(repeating: "k", count: 21).enumerated().map { "k\($0.offset)" }) }
        #expect(throws: Never.self) { try Validation.generationLength(100, for: .blogPost) }
        #expect(throws: Never.self) { try Validation.generationLength(5000, for: .article) }
        #expect(throws: DomainError.self) { try Validation.generationLength(99, for: .newsletter) }
        #expect(throws: DomainError.self) { try Validation.generationLength(5001, for: .socialMedia) }
        #expect(throws: Never.self) { try Validation.timezone("Europe/Paris") }
        #expect(throws: Never.self) { try Validation.timezone("UTC") }
        #expect(throws: DomainError.self) { try Validation.timezone("Mars/Olympus_Mons") }
        #expect(throws: Never.self) { try Validation.url("https://example.com/hook") }
        #expect(throws: DomainError.self) { try Validation.url("ftp://example.com") }
    }
}

@Suite struct ContentRulesTests {
    let author = Actor(userId: "usr_author", workspaceId: "wsp_1", role: .editor)
    let admin = Actor(userId: "usr_admin", workspaceId: "wsp_1", role: .admin)
    let otherEditor = Actor(userId: "usr_other", workspaceId: "wsp_1", role: .editor)
    let viewer = Actor(userId: "usr_viewer", workspaceId: "wsp_1", role: .viewer)
    let stranger = Actor(userId: "usr_stranger", workspaceId: "wsp_2", role: .admin)
    let now = Instant(iso8601: "2026-02-15T10:00:00Z")!

    func created() throws -> ContentState {
        let event = try ContentRules.create(.init(contentId: "cnt_1", title: " Launch ", body: "Body", contentType: .blogPost,
                                                  keywords: ["AI"]), by: author)
        #expect(event.title == "Launch")
        #expect(event.workspaceId == "wsp_1")
        #expect(event.authorId == "usr_author")
        return ContentState(event, at: now)
    }

    @Test func aRefinementChangesTheToneAndKeywordsOnlyWhenItSaysSo() throws {
        var content = try created()
        let generated = GenerationParameters(generator: "offline", model: "m", topic: "launch", length: 120)
        let casual = try ContentRules.refine(contentId: "cnt_1", instructions: "more casual, add keyword Swift",
                                             refinedTitle: "Launch", refinedBody: "Hey.", generated: generated,
                                             tone: .casual, keywords: ["AI", " Swift "], notApplied: [],
                                             current: content, by: author)
        #expect(casual.tone == .casual)
        #expect(casual.keywords == ["AI", "Swift"])
        content.apply(casual.event, at: now)
        #expect(content.tone == .casual && content.keywords == ["AI", "Swift"] && content.body == "Hey.")

        let shorter = try ContentRules.refine(contentId: "cnt_1", instructions: "shorter, in French",
                                              refinedTitle: "Launch", refinedBody: "Hi.", generated: generated,
                                              tone: .casual, keywords: ["AI", "Swift"], notApplied: ["in French"],
                                              current: content, by: author)
        #expect(shorter.tone == nil && shorter.keywords == nil, "unchanged: left out")
        #expect(shorter.notApplied == ["in French"])
        content.apply(shorter.event, at: now)
        #expect(content.tone == .casual && content.keywords == ["AI", "Swift"] && content.version == 3)
    }

    @Test func contentGoesFromDraftToScheduledToPublished() throws {
        var content = try created()
        #expect(content.status == .draft)
        #expect(content.version == 1)
        let update = try ContentRules.update(.init(contentId: "cnt_1", body: "New body", changes: "typo", expectedVersion: 1),
                                             current: content, by: author)
        #expect(update.version == 2)
        #expect(update.title == "Launch")
        content.apply(update.event, at: now)
        #expect(content.version == 2)

        let scheduled = try ScheduleRules.schedule(
            .init(scheduleId: "sch_1", contentId: "cnt_1", publishTime: now.adding(milliseconds: 3_600_000),
                  timezone: "Europe/Paris", channels: ["chn_web"]),
            content: content, connectedChannels: ["chn_web"], now: now, by: author)
        content.apply(scheduled.event, at: now)
        #expect(content.status == .scheduled)
        content.cancelSchedule("sch_1")
        #expect(content.status == .draft)
        content.apply(scheduled.event, at: now)
        content.apply(ContentPublished(contentId: "cnt_1", scheduleId: "sch_1", channelId: "chn_web", jobId: "job_1",
                                       publishedAt: now).event, at: now)
        #expect(content.status == .published)
        #expect(content.pendingSchedules.isEmpty)
    }

    @Test func deletedContentAcceptsNothing() throws {
        var content = try created()
        content.apply(try ContentRules.delete("cnt_1", current: content, by: author).event, at: now)
        #expect(content.status == .deleted)
        #expect { try ContentRules.update(.init(contentId: "cnt_1", title: "x"), current: content, by: author) }
            throws: { ($0 as? DomainError)?.code == .invalidState }
        #expect { try ContentRules.delete("cnt_1", current: content, by: admin) }
            throws: { ($0 as? DomainError)?.code == .invalidState }
        #expect {
            try ScheduleRules.schedule(.init(contentId: "cnt_1", publishTime: now.adding(milliseconds: 60_000),
                                             timezone: "UTC", channels: ["chn_web"]),
                                       content: content, connectedChannels: ["chn_web"], now: now, by: author)
        } throws: { ($0 as? DomainError)?.code == .invalidState }
    }

    @Test func rolesOwnersAndCollaboratorsDecideWhoEdits() throws {
        var content = try created()
        let edit = ContentRules.Update(contentId: "cnt_1", title: "New")
        #expect { try ContentRules.update(edit, current: content, by: viewer) } throws: { ($0 as? DomainError)?.code == .forbidden }
        #expect { try ContentRules.update(edit, current: content, by: otherEditor) } throws: { ($0 as? DomainError)?.code == .forbidden }
        #expect(throws: Never.self) { try ContentRules.update(edit, current: content, by: admin) }
        content.apply(try ContentRules.addCollaborator("usr_other", to: "cnt_1", isMember: true, current: content, by: author).event, at: now)
        #expect(throws: Never.self) { try ContentRules.update(edit, current: content, by: otherEditor) }
        #expect { try ContentRules.delete("cnt_1", current: content, by: otherEditor) } throws: { ($0 as? DomainError)?.code == .forbidden }
    }

    @Test func anotherWorkspacesContentIsNotFound() throws {
        let content = try created()
        #expect { try ContentRules.update(.init(contentId: "cnt_1", title: "x"), current: content, by: stranger) }
            throws: { ($0 as? DomainError) == .notFound("Content", "cnt_1") }
        #expect { try ContentRules.update(.init(contentId: "cnt_1", title: "x"), current: nil, by: author) }
            throws: { ($0 as? DomainError) == .notFound("Content", "cnt_1") }
    }

    @Test func versionsIncreaseByOneAndStaleEditsConflict() throws {
        var content = try created()
        for expected in 1...3 {
            let update = try ContentRules.update(.init(contentId: "cnt_1", body: "v\(expected + 1)", expectedVersion: expected),
                                                 current: content, by: author)
            #expect(update.version == expected + 1)
            content.apply(update.event, at: now)
        }
        #expect { try ContentRules.update(.init(contentId: "cnt_1", body: "late", expectedVersion: 2), current: content, by: author) }
            throws: { ($0 as? DomainError)?.code == .versionConflict }
    }

    @Test func schedulesNeedTheFutureAKnownZoneAndConnectedChannels() throws {
        let content = try created()
        func schedule(_ time: Instant, _ zone: String, _ channels: [ChannelID]) throws {
            _ = try ScheduleRules.schedule(.init(contentId: "cnt_1", publishTime: time, timezone: zone, channels: channels),
                                           content: content, connectedChannels: ["chn_web", "chn_mail"], now: now, by: author)
        }
        let later = now.adding(milliseconds: 60_000)
        #expect(throws: Never.self) { try schedule(later, "America/New_York", ["chn_web", "chn_mail"]) }
        #expect { try schedule(now.adding(milliseconds: -1), "UTC", ["chn_web"]) } throws: { ($0 as? DomainError)?.details["field"] == "publishTime" }
        #expect { try schedule(later, "Nowhere/Atlantis", ["chn_web"]) } throws: { ($0 as? DomainError)?.details["field"] == "timezone" }
        #expect { try schedule(later, "UTC", ["chn_fax"]) } throws: { ($0 as? DomainError)?.details["channelId"] == "chn_fax" }
        #expect { try schedule(later, "UTC", []) } throws: { ($0 as? DomainError)?.details["field"] == "channels" }
    }
}

@Suite struct UserRulesTests {
    let now = Instant(iso8601: "2026-02-15T10:00:00Z")!

    @Test func registeringCreatesTheUserTheirWorkspaceAndAdminMembership() throws {
        let events = try UserRules.register(email: "Bob@Example.com", name: "Bob", passwordHash: "h", emailTaken: false,
                                            userId: "usr_bob", workspaceId: "wsp_bob")
        #expect(events.map(\.type) == ["UserRegistered", "WorkspaceCreated", "MemberAdded"])
        guard case .userRegistered(let registered) = events[0], case .memberAdded(let member) = events[2] else {
            Issue.record("unexpected events"); return
        }
        #expect(registered.email == "bob@example.com")
        #expect(member.role == .admin)
        #expect { try UserRules.register(email: "bob@example.com", name: "Bob", passwordHash: "h", emailTaken: true) }
            throws: { ($0 as? DomainError)?.code == .alreadyExists }
    }

    @Test func theFifthFailedLoginLocksTheAccount() throws {
        var user = UserState(UserRegistered(userId: "usr_1", workspaceId: "wsp_1", email: "a@b.co", name: "A", passwordHash: "h"))
        for attempt in 1...4 {
            let events = UserRules.failedLogin(user, ipAddress: "192.0.2.1", now: now)
            #expect(events.map(\.type) == ["LoginFailed"])
            events.forEach { user.apply($0) }
            #expect(user.failedLogins == attempt)
            #expect(throws: Never.self) { try UserRules.checkCanLogIn(user, now: now) }
        }
        let fifth = UserRules.failedLogin(user, ipAddress: nil, now: now)
        #expect(fifth.map(\.type) == ["LoginFailed", "AccountLocked"])
        fifth.forEach { user.apply($0) }
        #expect { try UserRules.checkCanLogIn(user, now: now) } throws: { ($0 as? DomainError)?.code == .accountLocked }
        #expect(throws: Never.self) { try UserRules.checkCanLogIn(user, now: now.adding(milliseconds: UserRules.lockDuration)) }
        user.apply(UserRules.changePassword(user, newPasswordHash: "h2").event)
        #expect(user.failedLogins == 0)
        #expect(throws: Never.self) { try UserRules.checkCanLogIn(user, now: now) }
    }

    @Test func onlyAdminsManageMembersAndAWorkspaceKeepsAnAdmin() throws {
        var workspace = WorkspaceState(WorkspaceCreated(workspaceId: "wsp_1", name: "W", ownerId: "usr_admin"))
        workspace.apply(MemberAdded(workspaceId: "wsp_1", userId: "usr_admin", role: .admin, addedBy: "usr_admin").event)
        let admin = Actor(userId: "usr_admin", workspaceId: "wsp_1", role: .admin)
        let added = try UserRules.addMember("usr_ed", role: .editor, to: workspace, by: admin)
        workspace.apply(added.event)
        let editor = Actor(userId: "usr_ed", workspaceId: "wsp_1", role: .editor)
        #expect { try UserRules.addMember("usr_x", role: .viewer, to: workspace, by: editor) } throws: { ($0 as? DomainError)?.code == .forbidden }
        #expect { try UserRules.addMember("usr_ed", role: .viewer, to: workspace, by: admin) } throws: { ($0 as? DomainError)?.code == .alreadyExists }
        #expect { try UserRules.changeRole("usr_admin", to: .viewer, in: workspace, by: admin) } throws: { ($0 as? DomainError)?.code == .invalidState }
        workspace.apply(try UserRules.changeRole("usr_ed", to: .admin, in: workspace, by: admin).event)
        #expect(throws: Never.self) { try UserRules.changeRole("usr_admin", to: .viewer, in: workspace, by: admin) }
        let outsider = Actor(userId: "usr_admin", workspaceId: "wsp_other", role: .admin)
        #expect { try UserRules.removeMember("usr_ed", from: workspace, by: outsider) } throws: { ($0 as? DomainError)?.code == .notFound }
    }
}

@Suite struct DayRangeTests {
    let today = DayRange.day("2026-03-10")!

    @Test func withoutWordsItIsTheThirtyDaysEndingToday() throws {
        let range = try DayRange(from: nil, to: nil, today: today)
        #expect(range.last == today)
        #expect(range.last - range.first + 1 == 30)
    }

    @Test func aDayAloneEndsTheThirtyDays() throws {
        let range = try DayRange(from: nil, to: "2026-02-20", today: today)
        #expect(range.first == DayRange.day("2026-01-22"))
        #expect(range.last == DayRange.day("2026-02-20"))
    }

    @Test func aStartAloneRunsToToday() throws {
        let range = try DayRange(from: "2026-03-01", to: nil, today: today)
        #expect((range.first, range.last) == (DayRange.day("2026-03-01")!, today))
    }

    @Test func badWordsNameTheFieldAtFault() {
        #expect(throws: DayRange.Problem.notADay(field: "from")) { try DayRange(from: "yesterday", to: nil, today: today) }
        #expect(throws: DayRange.Problem.notADay(field: "to")) { try DayRange(from: nil, to: "2026-03-10T00:00:00Z", today: today) }
        #expect(throws: DayRange.Problem.fromAfterTo) { try DayRange(from: "2026-03-02", to: "2026-03-01", today: today) }
        #expect(throws: DayRange.Problem.tooLong) { try DayRange(from: "2025-01-01", to: "2026-03-01", today: today) }
        #expect(DayRange.Problem.fromAfterTo.message { "--" + $0 } == "--from must not be after --to")
    }

    @Test func aYearAndADayIsTheLongestRange() throws {
        let range = try DayRange(from: "2025-03-10", to: "2026-03-11", today: today)
        #expect(range.last - range.first == DayRange.longestSpan)
    }
}
