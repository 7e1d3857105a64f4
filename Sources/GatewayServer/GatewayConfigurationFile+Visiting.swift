import GatewayCore

extension GatewayConfigurationFile {
    /// `visiting:` the visiting analysis environment's limits (README "Visiting analyses").
    public struct Visiting: Sendable, Decodable, Equatable {
        public var concurrency: Int?
        public var perMemberQueue: Int?
        public var timeLimitSeconds: Int?
        public var jobMemoryMB: Int?
        enum CodingKeys: String, CodingKey {
            case concurrency
            case perMemberQueue = "per_member_queue"
            case timeLimitSeconds = "time_limit_seconds"
            case jobMemoryMB = "job_memory_mb"
        }
        public init() {}

        static let keys: Set<String> = ["concurrency", "per_member_queue", "time_limit_seconds", "job_memory_mb"]

        /// The limits, each range-checked; keys not set keep their defaults.
        func resolve() throws(GatewayError) -> GatewayConfiguration.Visiting {
            var visiting = GatewayConfiguration.Visiting()
            func checked(_ value: Int?, _ key: String, _ range: ClosedRange<Int>) throws(GatewayError) -> Int? {
                guard let value else { return nil }
                guard range.contains(value) else {
                    throw GatewayError(.invalidConfiguration, "visiting.\(key) \(value) is not between \(range.lowerBound) and \(range.upperBound)")
                }
                return value
            }
            if let value = try checked(concurrency, "concurrency", 1...64) { visiting.concurrency = value }
            if let value = try checked(perMemberQueue, "per_member_queue", 1...1000) { visiting.perMemberQueue = value }
            if let value = try checked(timeLimitSeconds, "time_limit_seconds", 1...86_400) { visiting.timeLimitSeconds = value }
            if let value = try checked(jobMemoryMB, "job_memory_mb", 16...65_536) { visiting.jobMemoryMB = value }
            return visiting
        }
    }
}

extension GatewayConfiguration {
    /// The visiting analysis environment's limits.
    public struct Visiting: Sendable, Hashable {
        /// Jobs running at once, each on its own thread.
        public var concurrency = 2
        /// Jobs one member may have queued or running.
        public var perMemberQueue = 4
        /// The longest one run may take.
        public var timeLimitSeconds = 600
        /// The most memory one job's variants may take, planned from its regions before anything is read.
        public var jobMemoryMB = 1024

        public init() {}
    }
}
