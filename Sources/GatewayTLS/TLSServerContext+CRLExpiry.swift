import Foundation

extension TLSServerContext {
    /// One log line when the CRLs' nextUpdate is within ``TLSServerConfiguration/crlWarningMargin``
    /// of `now` (or past it), naming the file, the time and the fix; nil otherwise.
    ///
    /// Once nextUpdate has passed OpenSSL refuses every client certificate, so the operator must
    /// publish a fresh CRL before then.
    public func crlExpiryWarning(now: Date = Date()) -> String? {
        guard let nextUpdate = crlNextUpdate, let path = configuration.crlPath else { return nil }
        let margin = configuration.crlWarningMargin.components
        let marginSeconds = Double(margin.seconds) + Double(margin.attoseconds) / 1e18
        let remaining = nextUpdate.timeIntervalSince(now)
        guard remaining < marginSeconds else { return nil }
        let when = Self.timestamp(nextUpdate)
        if remaining <= 0 {
            return "CRL \(path) expired at \(when) (its nextUpdate): every client certificate is refused until a fresh CRL is loaded "
                + "— publish or fetch a new CRL from the CA, write it to \(path), then send SIGHUP (`genomegate reload`)"
        }
        let hours = Int((remaining / 3600).rounded(.down))
        return "CRL \(path) expires at \(when) (its nextUpdate, in \(hours) h, inside tls.crl_warning_margin_hours); after that every client "
            + "certificate is refused — publish or fetch a new CRL from the CA, write it to \(path), then send SIGHUP (`genomegate reload`)"
    }
}
