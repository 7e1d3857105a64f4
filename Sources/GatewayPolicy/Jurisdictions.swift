import Foundation

/// One country whose protection of personal information Japan recognises as equivalent
/// (APPI art. 28), from a date and possibly until one.
public struct EquivalentJurisdiction: Sendable, Hashable, Codable {
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var name: String?
    public var effectiveFrom: Date
    /// First instant it no longer counts; nil while it does.
    public var effectiveUntil: Date?

    public init(country: String, name: String? = nil, effectiveFrom: Date, effectiveUntil: Date? = nil) {
        self.country = country
        self.name = name
        self.effectiveFrom = effectiveFrom
        self.effectiveUntil = effectiveUntil
    }

    /// Whether the recognition holds at `time`.
    public func isEffective(at time: Date) -> Bool {
        effectiveFrom <= time && effectiveUntil.map { time < $0 } ?? true
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case country, name
        case effectiveFrom = "effective_from"
        case effectiveUntil = "effective_until"
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        country = try container.decode(String.self, forKey: .country)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        effectiveFrom = try PolicyCoding.decodeTime(container, .effectiveFrom)
        effectiveUntil = try PolicyCoding.decodeTimeIfPresent(container, .effectiveUntil, endOfDay: true)
    }
}

/// Where data may go without the donor's consent: Japan, and the equivalence list.
public enum Jurisdiction {
    /// The programme's own country.
    public static let home = "JP"
}

/// A consent withdrawal reported by a hospital: from the next request on, the participant's
/// samples never contribute to any result.
public struct Withdrawal: Sendable, Hashable, Codable {
    public var participantID: String
    /// When the patient withdrew (as reported); the gateway excludes them from recording on.
    public var effectiveAt: Date
    /// When the gateway recorded it (set by the policy store).
    public var recordedAt: Date?

    public init(participantID: String, effectiveAt: Date, recordedAt: Date? = nil) {
        self.participantID = participantID
        self.effectiveAt = effectiveAt
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case participantID = "participant_id"
        case effectiveAt = "effective_at"
        case recordedAt = "recorded_at"
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        participantID = try container.decode(String.self, forKey: .participantID)
        effectiveAt = try PolicyCoding.decodeTime(container, .effectiveAt)
        recordedAt = try PolicyCoding.decodeTimeIfPresent(container, .recordedAt)
    }
}
