import Foundation
import SmartContentDomain
import SmartContentProjections

/// The JSON a channel receives: Standard Webhooks' `{type, timestamp, data}` envelope
/// around the content (as it is when the attempt is made), the job and the channel.
struct DeliveryDocument: Encodable {
    struct Channel: Encodable {
        var channelId: ChannelID
        var name: String
    }
    struct Payload: Encodable {
        var jobId: JobID
        var scheduleId: ScheduleID?
        var webhookId: String
        var channel: Channel
        var content: ContentView
    }

    var type = "content.delivery"
    var timestamp: Instant
    var data: Payload

    init(job: DistributionJob, channel: ChannelRecord, content: ContentView) {
        timestamp = job.requestedAt
        data = Payload(jobId: job.jobId, scheduleId: job.scheduleId, webhookId: WebhookID.of(job: job.jobId, channel: channel.channelId),
                       channel: Channel(channelId: channel.channelId, name: channel.name), content: content)
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
