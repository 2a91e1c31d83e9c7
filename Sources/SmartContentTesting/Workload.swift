public import SmartContentDomain

/// A deterministic random workload over the whole catalog, 80 % engagement: for
/// consistency tests and benchmarks. The same seed gives the same events everywhere.
public struct Workload {
    var generator: SeededGenerator
    var workspaces: [WorkspaceID] = []
    var users: [(UserID, WorkspaceID)] = []
    var contents: [(ContentID, WorkspaceID, UserID)] = []
    var deleted: Set<ContentID> = []
    var versions: [ContentID: Int] = [:]
    var channels: [WorkspaceID: [ChannelID]] = [:]
    var schedules: [(ScheduleID, ContentID)] = []
    let start = Instant(iso8601: "2026-01-01T00:00:00Z")!

    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func chance(_ percent: Int) -> Bool { int(0..<100) < percent }

    /// Users, workspaces and channels to start from.
    public mutating func setUp() -> [DomainEvent] {
        var events: [DomainEvent] = []
        for w in 0..<3 {
            let workspace = WorkspaceID(rawValue: "wsp_\(w)")!
            workspaces.append(workspace)
            for u in 0..<5 {
                let user = UserID(rawValue: "usr_\(w)_\(u)")!
                users.append((user, workspace))
                if u == 0 {
                    events.append(UserRegistered(userId: user, workspaceId: workspace, email: "u\(w)\(u)@example.com",
                                                 name: "User \(w) \(u)", passwordHash: "h").event)
                    events.append(WorkspaceCreated(workspaceId: workspace, name: "W\(w)", ownerId: user).event)
                } else {
                    events.append(UserRegistered(userId: user, workspaceId: WorkspaceID(rawValue: "wsp_own_\(w)_\(u)")!,
                                                 email: "u\(w)\(u)@example.com", name: "User \(w) \(u)", passwordHash: "h").event)
                }
                events.append(MemberAdded(workspaceId: workspace, userId: user, role: u == 0 ? .admin : .editor,
                                          addedBy: users[users.count - u - 1].0).event)
            }
            let ws = [ChannelID(rawValue: "chn_\(w)_a")!, ChannelID(rawValue: "chn_\(w)_b")!]
            channels[workspace] = ws
            for channel in ws {
                events.append(ChannelConnected(channelId: channel, workspaceId: workspace, name: "c", kind: .webhook,
                                               url: "https://example.com/\(channel)", connectedBy: users[users.count - 1].0).event)
            }
        }
        return events
    }

    /// The next event of the mix.
    public mutating func next() -> DomainEvent {
        let roll = int(0..<100)
        if contents.count < 20 || roll < 4 { return create() }
        let (content, workspace, author) = contents[int(0..<contents.count)]
        switch roll {
        case 4..<80:
            let kinds = EngagementKind.allCases
            let day = Int64(int(0..<30))
            let occurred = start.adding(milliseconds: day * 86_400_000 + Int64(int(0..<86_400_000)))
            let target = chance(1) ? ContentID(rawValue: "cnt_unknown_\(int(0..<5))")! : content
            let reader = chance(90) ? ReaderID(rawValue: "reader-\(int(0..<2000))") : nil
            let value: Double? = chance(70) ? nil : Double(int(1..<10_000)) / 100
            return EngagementRecorded(contentId: target, kind: kinds[int(0..<kinds.count)], userId: reader,
                                      channel: chance(50) ? "web" : nil, occurredAt: occurred, value: value).event
        case 80..<86 where !deleted.contains(content):
            let version = (versions[content] ?? 1) + 1
            versions[content] = version
            return ContentUpdated(contentId: content, version: version, title: "T\(version)", body: "B\(int(0..<1000))",
                                  contentType: .article, tone: .casual, keywords: ["k\(int(0..<20))"], changes: "c",
                                  editedBy: author).event
        case 86..<88 where !deleted.contains(content):
            let version = (versions[content] ?? 1) + 1
            versions[content] = version
            return ContentRefined(contentId: content, version: version, title: "R\(version)", body: "refined", instructions: "i",
                                  editedBy: author, generated: GenerationParameters(generator: "offline", model: "m", topic: "t", length: 100)).event
        case 88..<89 where !deleted.contains(content):
            deleted.insert(content)
            return ContentDeleted(contentId: content, deletedBy: author).event
        case 89..<92:
            let schedule = ScheduleID(rawValue: "sch_\(schedules.count)")!
            schedules.append((schedule, content))
            return ContentScheduled(scheduleId: schedule, contentId: content, workspaceId: workspace,
                                    publishTime: start.adding(milliseconds: Int64(int(0..<40)) * 86_400_000), timezone: "UTC",
                                    channels: [channels[workspace]![0]], scheduledBy: author).event
        case 92..<94 where !schedules.isEmpty:
            let (schedule, _) = schedules[int(0..<schedules.count)]
            return ScheduleCancelled(scheduleId: schedule, cancelledBy: author).event
        case 94..<96 where !schedules.isEmpty:
            let (schedule, scheduledContent) = schedules[int(0..<schedules.count)]
            return ContentPublished(contentId: scheduledContent, scheduleId: schedule, channelId: channels[workspace]![0],
                                    jobId: JobID(rawValue: "job_\(int(0..<1000))")!, publishedAt: start).event
        case 96..<97:
            let (user, _) = users[int(0..<users.count)]
            return LoginFailed(userId: user, failedAttempts: int(1..<6), ipAddress: "192.0.2.\(int(0..<255))").event
        case 97..<98:
            return SubjectErased(subjectId: "reader-\(int(0..<2000))", erasedBy: "usr_0_0").event
        case 98..<99:
            return CollaboratorAdded(contentId: content, userId: users[int(0..<users.count)].0, addedBy: author).event
        default:
            return AudienceCreated(audienceId: AudienceID(rawValue: "aud_\(int(0..<100_000))")!, workspaceId: workspace,
                                   name: "A", criteria: AudienceCriteria(keywords: ["k"]), createdBy: author).event
        }
    }

    mutating func create() -> DomainEvent {
        let (user, workspace) = users[int(0..<users.count)]
        let content = ContentID(rawValue: "cnt_\(contents.count)")!
        contents.append((content, workspace, user))
        return ContentCreated(contentId: content, workspaceId: workspace, authorId: user, title: "T1", body: "B",
                              contentType: .blogPost, tone: nil, keywords: ["k1"]).event
    }
}

/// xorshift64*: the same seed gives the same workload on every machine.
public struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    public mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

