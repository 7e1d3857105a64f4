import Foundation
import GatewayCore
import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line (`genomegate serve --log-format json`):
///
/// ```json
/// {"timestamp":"2026-04-01T09:00:00.250Z","level":"info","label":"genomegate","message":"request","metadata":{"request.id":"…","status":"200"}}
/// ```
///
/// Keys in that order; metadata keys sorted, values as strings (nested lists and
/// dictionaries as JSON arrays and objects). Each line is one `write(2)`, so lines from
/// several threads never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let output: JSONLogOutput

    /// A handler for `label` writing to standard error.
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label, output: .standardError)
    }

    public init(label: String, output: JSONLogOutput) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        output.write(Self.line(time: Date(), level: event.level, label: label, message: event.message.description, metadata: merged))
    }

    /// One log line, ending in a newline.
    public static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var text = #"{"timestamp":"# + "\"" + timestamp(time) + "\","
        text += #""level":"# + "\"" + level.rawValue + "\","
        text += #""label":"#
        JSONValue.appendString(label, to: &text)
        text += #","message":"#
        JSONValue.appendString(message, to: &text)
        text += #","metadata":"# + json(.dictionary(metadata)).jsonText + "}\n"
        return text
    }

    /// A metadata value as JSON (``JSONValue/jsonText`` writes it: keys sorted, RFC 8259 escapes).
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string): .string(string)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let members): .object(members.mapValues(json))
        }
    }

    /// `2026-04-01T09:00:00.250Z` (UTC, milliseconds).
    static func timestamp(_ time: Date) -> String {
        let milliseconds = Int64((time.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = Int(milliseconds % 1000)
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)Z"
    }
}

/// Where ``JSONLogHandler`` writes: standard error, or (tests) a closure.
public struct JSONLogOutput: Sendable {
    let sink: @Sendable (String) -> Void

    public init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    func write(_ line: String) { sink(line) }

    /// Standard error, one `write(2)` per line (retried on a short write).
    public static let standardError = JSONLogOutput { line in
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
