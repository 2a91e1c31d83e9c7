import EventLog
import SmartContentDomain
import SmartContentProjections

/// The JSON a channel receives: Standard Webhooks' `{type, timestamp, data}` envelope
/// around the content (as it is when the attempt is made), the job and the channel.
/// Written by hand, keys sorted: it is on every delivery's path.
struct DeliveryDocument {
    var job: DistributionJob
    var channel: ChannelRecord
    var content: ContentView

    static let type = "content.delivery"

    func encoded() -> [UInt8] {
        var strings = [channel.channelId.rawValue, channel.name, content.authorId.rawValue, content.body, content.contentId.rawValue,
                       content.contentType.rawValue, content.status.rawValue, content.title, content.workspaceId.rawValue,
                       job.jobId.rawValue, WebhookID.of(job: job.jobId, channel: channel.channelId)]
        strings += content.keywords + content.collaborators.map(\.rawValue)
        if let tone = content.tone { strings.append(tone.rawValue) }
        if let schedule = job.scheduleId { strings.append(schedule.rawValue) }
        let room = 512 + strings.reduce(0) { $0 + 6 * $1.utf8.count + 3 }
        var out: [UInt8] = []
        out.append(reserving: room) { w in
            func quoted(_ text: String) {
                var text = text
                text.withUTF8 { w.writeQuoted(UnsafeRawBufferPointer($0)) }
            }
            func list(_ items: [String]) {
                w.write(UInt8(ascii: "["))
                for (index, item) in items.enumerated() {
                    if index > 0 { w.write(UInt8(ascii: ",")) }
                    quoted(item)
                }
                w.write(UInt8(ascii: "]"))
            }
            func time(_ instant: Instant) {
                w.write(UInt8(ascii: "\""))
                w.writeISO8601(instant.millisecondsSince1970)
                w.write(UInt8(ascii: "\""))
            }
            w.write(#"{"data":{"channel":{"channelId":"#); quoted(channel.channelId.rawValue)
            w.write(#","name":"#); quoted(channel.name)
            w.write(#"},"content":{"authorId":"#); quoted(content.authorId.rawValue)
            w.write(#","body":"#); quoted(content.body)
            w.write(#","collaborators":"#); list(content.collaborators.map(\.rawValue))
            w.write(#","contentId":"#); quoted(content.contentId.rawValue)
            w.write(#","contentType":"#); quoted(content.contentType.rawValue)
            w.write(#","createdAt":"#); time(content.createdAt)
            w.write(#","keywords":"#); list(content.keywords)
            w.write(#","status":"#); quoted(content.status.rawValue)
            w.write(#","title":"#); quoted(content.title)
            w.write(#","tone":"#)
            if let tone = content.tone { quoted(tone.rawValue) } else { w.write("null") }
            w.write(#","updatedAt":"#); time(content.updatedAt)
            w.write(#","version":"#); w.writeNumber(UInt64(max(content.version, 0)))
            w.write(#","workspaceId":"#); quoted(content.workspaceId.rawValue)
            w.write(#"},"jobId":"#); quoted(job.jobId.rawValue)
            if let schedule = job.scheduleId {
                w.write(#","scheduleId":"#); quoted(schedule.rawValue)
            }
            w.write(#","webhookId":"#); quoted(WebhookID.of(job: job.jobId, channel: channel.channelId))
            w.write(#"},"timestamp":"#); time(job.requestedAt)
            w.write(#","type":"#); quoted(Self.type)
            w.write(UInt8(ascii: "}"))
        }
        return out
    }
}
