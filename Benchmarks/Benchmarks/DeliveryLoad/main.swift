import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting

// Deliveries from the engine's Distributor to a keep-alive receiver on loopback, in this
// one process (the receiver's threads share the machine), every attempt recorded durably.
//
//   sustained RATE SECONDS   jobs requested at RATE per second for SECONDS: deliveries/s
//                            and the delay from request to the receiver (p50, p99)
//   schedules COUNT          COUNT schedules due in the same minute, fired by the
//                            scheduler and delivered: time from due to the last delivery
//
// Exits 1 when a delivery is lost, repeated, answered other than 2xx, or a goal is missed.

struct Failure: Error, CustomStringConvertible { var description: String }

let arguments = CommandLine.arguments.dropFirst()
let mode = arguments.first ?? "sustained"
let channelCount = Int(ProcessInfo.processInfo.environment["CHANNELS"] ?? "") ?? 4

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func openEngine() throws -> (SmartContentEngine, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-load-\(UUID().uuidString)").path
    var configuration = SmartContentEngine.Configuration()
    configuration.durability = .sync
    configuration.passwordHasher = BcryptPasswordHasher(cost: 4)
    return (try SmartContentEngine(directory: directory, configuration: configuration), directory)
}

func setUp(_ engine: SmartContentEngine, receiver: WebhookReceiver) async throws
    -> (actor: Actor, channels: [ChannelID], contents: [ContentID]) {
    let user = try await engine.register(email: "load@example.com", password: "Correct-Horse-9", name: "Load")
    let actor = try await engine.actor(user.value.userId)
    var channels: [ChannelID] = []
    for index in 0..<channelCount {
        channels.append(try await engine.connectChannel(name: "Hook \(index)", url: receiver.url("/hook/\(index)"), by: actor).value.channelId)
    }
    var contents: [ContentID] = []
    for index in 0..<20 {
        contents.append(try await engine.createContent(.init(title: "Post \(index)", body: String(repeating: "Words of a post. ", count: 40),
                                                             contentType: .article), by: actor).value.contentId)
    }
    return (actor, channels, contents)
}

func policy() -> DeliveryPolicy {
    var policy = DeliveryPolicy()
    policy.concurrencyPerChannel = Int(ProcessInfo.processInfo.environment["CONCURRENCY"] ?? "") ?? 16
    policy.maxInFlight = 512
    policy.pollInterval = .milliseconds(100)
    return policy
}

/// Waits until `expected` distinct deliveries arrived (or `limit` passed); checks none came twice.
func awaitDeliveries(_ receiver: WebhookReceiver, expected: Int, limit: Duration) async throws -> [WebhookReceiver.Request] {
    let deadline = ContinuousClock.now + limit
    while receiver.requests.count < expected, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    try await Task.sleep(for: .milliseconds(300))
    let requests = receiver.requests
    let distinct = Set(requests.compactMap { $0.headers["webhook-id"] }).count
    guard distinct == expected, requests.count == expected else {
        throw Failure(description: "\(distinct) distinct deliveries of \(expected) expected, \(requests.count) requests")
    }
    return requests
}

func checkRecorded(_ engine: SmartContentEngine, expected: Int) async throws {
    var attempted = 0, published = 0, after: UInt64 = 0
    while true {
        let page = try await engine.events(after: after, limit: 10_000)
        guard let last = page.last else { break }
        after = last.position
        for event in page {
            switch event.event {
            case .distributionAttempted: attempted += 1
            case .contentPublished: published += 1
            default: break
            }
        }
    }
    guard attempted == expected, published == expected else {
        throw Failure(description: "recorded \(attempted) attempts and \(published) publications for \(expected) deliveries")
    }
}

func sustained(rate: Int, seconds: Int) async throws {
    let receiver = try WebhookReceiver()
    let (engine, directory) = try openEngine()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (actor, channels, contents) = try await setUp(engine, receiver: receiver)
    let distributor = Distributor(engine: engine, policy: policy())
    let running = Task { await distributor.run() }

    // Open loop: a batch every 10 ms, whatever the distributor's pace.
    let total = rate * seconds
    let perTick = max(rate / 100, 1)
    var requested: [String: Date] = [:]
    let clock = ContinuousClock()
    let start = clock.now
    var sent = 0, tick = 0
    while sent < total {
        var events: [DomainEvent] = []
        var times: [String] = []
        for _ in 0..<min(perTick, total - sent) {
            let channel = channels[sent % channels.count]
            let job = JobID.generate()
            events.append(DistributionRequested(jobId: job, contentId: contents[sent % contents.count], workspaceId: actor.workspaceId,
                                                channels: [channel], requestedBy: actor.userId.rawValue).event)
            times.append(WebhookID.of(job: job, channel: channel))
            sent += 1
        }
        _ = try await engine.record(events, by: actor.userId.rawValue, workspace: actor.workspaceId)
        let now = Date()
        for id in times { requested[id] = now }
        tick += 1
        let next = start + .milliseconds(10 * tick)
        if clock.now < next { try await Task.sleep(until: next, clock: clock) }
    }
    let requests = try await awaitDeliveries(receiver, expected: total, limit: .seconds(120))
    let elapsed = requests.map(\.receivedAt).max()!.timeIntervalSince(requests.map(\.receivedAt).min()!)
    let delays = requests.compactMap { request in
        request.headers["webhook-id"].flatMap { requested[$0] }.map { request.receivedAt.timeIntervalSince($0) }
    }.sorted()
    running.cancel()
    await running.value
    let writer = engine.logWriterCounters
    print("log writer: \(writer.commits) commits for \(writer.requests) appends (\(writer.events) events)")
    try await checkRecorded(engine, expected: total)
    await engine.close()
    receiver.stop()
    let throughput = Double(total) / max(elapsed, 0.001)
    print(String(format: "sustained: %d deliveries asked at %d/s over %d s on %d channels: %.0f deliveries/s; "
                 + "request to receiver p50 %.1f ms, p99 %.1f ms, max %.1f ms; every attempt recorded",
                 total, rate, seconds, channelCount, throughput, percentile(delays, 0.5) * 1000, percentile(delays, 0.99) * 1000,
                 (delays.last ?? 0) * 1000))
    if throughput < Double(rate) * 0.95 { throw Failure(description: "delivered \(Int(throughput))/s, below the \(rate)/s asked") }
    if percentile(delays, 0.99) >= 1 { throw Failure(description: "p99 from request to first attempt is not below 1 s") }
}

func schedules(count: Int) async throws {
    let receiver = try WebhookReceiver()
    let (engine, directory) = try openEngine()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (actor, channels, contents) = try await setUp(engine, receiver: receiver)
    // Due at the start of a minute far enough ahead to create them all first.
    let due = Instant(millisecondsSince1970: (engine.now.millisecondsSince1970 / 60_000 + 1) * 60_000 + 30_000)
    var events: [DomainEvent] = []
    for index in 0..<count {
        events.append(ContentScheduled(scheduleId: .generate(), contentId: contents[index % contents.count], workspaceId: actor.workspaceId,
                                       publishTime: due, timezone: "UTC", channels: [channels[index % channels.count]],
                                       scheduledBy: actor.userId).event)
        if events.count == 1000 {
            _ = try await engine.record(events, by: actor.userId.rawValue, workspace: actor.workspaceId)
            events = []
        }
    }
    if !events.isEmpty { _ = try await engine.record(events, by: actor.userId.rawValue, workspace: actor.workspaceId) }
    let distributor = Distributor(engine: engine, policy: policy())
    let delivering = Task { await distributor.run() }
    // What SchedulerService does in serve.
    let scheduling = Task {
        while !Task.isCancelled {
            _ = try? await engine.fireDueSchedules(limit: 100_000)
            let next = (try? await engine.nextDueTime()) ?? engine.now.adding(milliseconds: 1000)
            let wait = max(min(next.millisecondsSince1970 - engine.now.millisecondsSince1970, 1000), 5)
            try? await Task.sleep(for: .milliseconds(wait))
        }
    }
    let wait = Double(due.millisecondsSince1970 - engine.now.millisecondsSince1970) / 1000
    print(String(format: "schedules: %d created, due in %.1f s", count, wait))
    let requests = try await awaitDeliveries(receiver, expected: count, limit: .seconds(Int64(wait) + 90))
    let dueDate = Date(timeIntervalSince1970: Double(due.millisecondsSince1970) / 1000)
    let delays = requests.map { $0.receivedAt.timeIntervalSince(dueDate) }.sorted()
    scheduling.cancel()
    delivering.cancel()
    await delivering.value
    try await checkRecorded(engine, expected: count)
    await engine.close()
    receiver.stop()
    print(String(format: "schedules: %d due at once, delivered each once; after the due time: first %.2f s, p50 %.2f s, "
                 + "p99 %.2f s, last %.2f s", count, delays.first ?? 0, percentile(delays, 0.5), percentile(delays, 0.99),
                 delays.last ?? 0))
    if (delays.last ?? 0) >= 60 { throw Failure(description: "the last delivery came \(delays.last!) s after the due time") }
}

do {
    switch mode {
    case "sustained":
        try await sustained(rate: Int(arguments.dropFirst().first ?? "") ?? 3000,
                            seconds: Int(arguments.dropFirst(2).first ?? "") ?? 10)
    case "receiver":
        let receiver = try WebhookReceiver()
        FileHandle.standardError.write(Data("receiver: \(receiver.url())\n".utf8))
        FileHandle.standardOutput.write(Data())
        try await Task.sleep(for: .seconds(Int64(arguments.dropFirst().first ?? "") ?? 10))
        print("receiver: \(receiver.requests.count) requests")
        receiver.stop()
    case "transport":
        // The HTTP part alone: concurrent POSTs to the receiver, nothing recorded.
        let receiver = try WebhookReceiver()
        let transport: any DeliveryTransport = arguments.contains("urlsession")
            ? URLSessionDeliveryTransport(maxConnectionsPerHost: 16) : try CurlDeliveryTransport(connectionsPerHost: 16)
        let total = Int(arguments.dropFirst().first ?? "") ?? 20_000
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<16 {
                group.addTask {
                    for _ in 0..<(total / 16) {
                        let response = try await transport.send(DeliveryRequest(url: receiver.url("/hook/\(lane % 4)"), headers: [("webhook-id", "x")],
                                                                                body: Array(repeating: 65, count: 900), timeout: .seconds(10)))
                        guard response.statusCode == 200 else { throw Failure(description: "HTTP \(response.statusCode)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        print("transport: \(total) POSTs in \(elapsed): \(Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)) per second")
        receiver.stop()
    case "schedules":
        try await schedules(count: Int(arguments.dropFirst().first ?? "") ?? 10_000)
    default:
        throw Failure(description: "usage: DeliveryLoad sustained [RATE] [SECONDS] | schedules [COUNT]")
    }
} catch {
    FileHandle.standardError.write(Data("DeliveryLoad: \(error)\n".utf8))
    exit(1)
}
