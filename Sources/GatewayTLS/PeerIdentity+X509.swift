import COpenSSL
import COpenSSLShim
import Foundation
import GatewayCore

extension PeerIdentity {
    /// Reads the identity fields of an X509 leaf; `chain` is the DER of leaf and intermediates.
    static func read(leaf: OpaquePointer, chainDER: [[UInt8]]) -> PeerIdentity {
        PeerIdentity(
            fingerprintSHA256: X509Fields.fingerprint(leaf),
            subject: X509Fields.name(X509_get_subject_name(leaf)),
            issuer: X509Fields.name(X509_get_issuer_name(leaf)),
            serial: X509Fields.serial(leaf),
            notBefore: X509Fields.date(X509_get0_notBefore(leaf)),
            notAfter: X509Fields.date(X509_get0_notAfter(leaf)),
            country: X509Fields.country(X509_get_subject_name(leaf)),
            chainDER: chainDER
        )
    }
}

/// Small readers over OpenSSL's X509 accessors.
enum X509Fields {
    static func der(_ certificate: OpaquePointer) -> [UInt8] {
        let length = i2d_X509(certificate, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_X509(certificate, &cursor)
        }
        return bytes
    }

    static func fingerprint(_ certificate: OpaquePointer) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else { return "" }
        return HexEncoding.string(digest.prefix(Int(length)))
    }

    static func name(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        _ = X509_NAME_print_ex(bio, name, 0, gg_name_flags_rfc2253())
        return memoryBIOString(bio)
    }

    static func serial(_ certificate: OpaquePointer) -> String {
        guard let integer = X509_get_serialNumber(certificate),
              let number = ASN1_INTEGER_to_BN(integer, nil) else { return "" }
        defer { BN_free(number) }
        guard let text = BN_bn2hex(number) else { return "" }
        defer { gg_OPENSSL_free(text) }
        return String(cString: text)
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    static func country(_ name: OpaquePointer?) -> String? {
        guard let name else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_countryName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry), let bytes = ASN1_STRING_get0_data(data) else { return nil }
        let length = Int(ASN1_STRING_length(data))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    static func memoryBIOString(_ bio: OpaquePointer) -> String {
        var data: UnsafeMutablePointer<CChar>?
        let length = gg_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}
