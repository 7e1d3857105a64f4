import Synchronization

/// The identity fields read from a client certificate, by the certificate's DER: the same
/// member opens many connections with the same certificate, and reading its names, serial,
/// dates and fingerprint through OpenSSL on every handshake costs more than looking them up.
///
/// The fields are a pure function of the DER (the key), so a hit is exactly what
/// ``PeerIdentity/read(leaf:chainDER:)`` would return; the chain is always the connection's own.
/// Bounded: emptied when it reaches ``capacity`` entries. Owned by one ``TLSServerContext``,
/// so a reload starts a fresh one.
final class PeerIdentityCache: Sendable {
    static let capacity = 4096
    private let entries = Mutex<[[UInt8]: PeerIdentity]>([:])

    /// The identity of `leaf` (whose DER is `chainDER[0]`), read once per certificate.
    func identity(leaf: OpaquePointer, chainDER: [[UInt8]]) -> PeerIdentity {
        let key = chainDER[0]
        if var known = entries.withLock({ $0[key] }) {
            known.chainDER = chainDER
            return known
        }
        let identity = PeerIdentity.read(leaf: leaf, chainDER: chainDER)
        var stored = identity
        stored.chainDER = []
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = stored
        }
        return identity
    }
}
