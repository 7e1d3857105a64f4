import Foundation
import NIOConcurrencyHelpers

/// The server context in force, replaced atomically by ``reload(_:)``.
///
/// New connections take ``current``; connections opened earlier keep their
/// context but are re-verified against the current one by ``verificationFailure(of:)``
/// on each request, so a newly revoked certificate is refused at once.
public final class TLSContextProvider: Sendable {
    private struct State {
        var context: TLSServerContext
        /// Re-verification results under `context`, by leaf fingerprint.
        var verdicts: [String: String?] = [:]
    }
    private let state: NIOLockedValueBox<State>

    /// Builds the first context; throws ``TLSError`` if any file is bad.
    public init(configuration: TLSServerConfiguration) throws {
        state = NIOLockedValueBox(State(context: try TLSServerContext(configuration: configuration, generation: 1)))
    }

    public var current: TLSServerContext { state.withLockedValue { $0.context } }

    /// The earliest nextUpdate of the CRLs in force (nil without CRLs): after it every client is
    /// refused until a fresh CRL is loaded. For a gauge such as `genomegate_tls_crl_next_update_seconds`.
    public var crlNextUpdate: Date? { current.crlNextUpdate }

    /// Builds a new context from `configuration` and swaps it in.
    /// On failure the old context stays in service and the error is thrown.
    @discardableResult
    public func reload(_ configuration: TLSServerConfiguration) throws -> TLSServerContext {
        let generation = state.withLockedValue { $0.context.generation } + 1
        let fresh = try TLSServerContext(configuration: configuration, generation: generation)
        state.withLockedValue { $0 = State(context: fresh) }
        return fresh
    }

    /// Why a connection's peer is no longer acceptable, or nil if it still is.
    ///
    /// Checks validity dates against `now`, and, when the connection was verified
    /// under an older context, the chain against the current CA bundle and CRLs.
    public func verificationFailure(of info: TLSConnectionInfo, now: Date = Date()) -> String? {
        if now > info.peer.notAfter { return "certificate has expired" }
        if now < info.peer.notBefore { return "certificate is not yet valid" }
        let (context, cached) = state.withLockedValue { ($0.context, $0.verdicts[info.peer.fingerprintSHA256]) }
        if context.generation == info.contextGeneration { return nil }
        if let cached { return cached }
        let verdict = context.verificationFailure(of: info.peer)
        state.withLockedValue { current in
            if current.context === context { current.verdicts[info.peer.fingerprintSHA256] = .some(verdict) }
        }
        return verdict
    }
}
