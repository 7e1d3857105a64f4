#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import AuditLog
import Foundation
import GatewayCore
import GatewayTLS
import PolicyStore

extension StartupCheck {
    /// The server key and the audit signing key give no access to other users and no write access
    /// to their group (group read is allowed: `root:genomegate 0640` lets the service read a key it
    /// cannot change); the data folder's privacy.key, which the gateway itself creates 0600, gives
    /// none to group or others (as its loader demands).
    public static let keyFilePermissions = StartupCheck("key file permissions") { configuration in
        let keys: [(what: String, path: String, forbidden: Int)] = [
            ("server private key", configuration.tls.privateKeyPath, 0o037),
            ("audit signing key", configuration.audit.signingKeyPath, 0o037),
            ("privacy key", configuration.dataDirectory + "/privacy.key", 0o077),
        ]
        for key in keys {
            // The mode of the file itself, through any symbolic link. A missing or unreadable
            // file is reported by the rule that loads it.
            let target = URL(fileURLWithPath: key.path).resolvingSymlinksInPath().path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: target),
                  let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue else { continue }
            let mode = permissions & 0o777
            guard mode & key.forbidden != 0 else { continue }
            let modeText = "0" + String(mode, radix: 8)
            let who = mode & 0o007 != 0 ? "other users" : (key.forbidden & 0o040 != 0 ? "its group" : "its group (write)")
            return StartupFailure(.keyFilePermissions, "\(key.what) \(key.path) is open to \(who) (mode \(modeText))",
                                  fix: "run `chmod 600 \(key.path)` and keep it owned by the gateway's user")
        }
        return nil
    }

    /// The server certificate, key (and that they match), client CA bundle and CRLs load as they
    /// will at start; an expired CRL is refused (with it every client would be refused).
    public static let tlsMaterial = StartupCheck("TLS material") { configuration in
        do {
            _ = try TLSServerContext(configuration: configuration.tls)
            return nil
        } catch let error as TLSError {
            let parts = error.message.components(separatedBy: " — ")
            if parts.count >= 2 {
                return StartupFailure(.tlsMaterial, parts[0], fix: parts.dropFirst().joined(separator: " — "))
            }
            let fix = switch error.code {
            case .certificateFile: "give the PEM certificate chain issued for this server (tls.certificate or --cert)"
            case .privateKeyFile: "give the server's unencrypted PEM private key (tls.private_key or --key)"
            case .clientCAFile: "give the consortium CA bundle, PEM (tls.client_ca or --client-ca)"
            case .crlFile: "give the consortium CA's current CRL, PEM (tls.crl or --crl)"
            default: "check the files under tls: in the config file"
            }
            return StartupFailure(.tlsMaterial, error.message, fix: fix)
        } catch {
            return StartupFailure(.tlsMaterial, "the TLS files cannot be loaded: \(error)", fix: "check the files under tls: in the config file")
        }
    }

    /// The audit signing key loads (Ed25519 or ECDSA P-256, PEM).
    public static let auditSigningKey = StartupCheck("audit signing key") { configuration in
        do {
            _ = try AuditSigner(privateKeyPath: configuration.audit.signingKeyPath)
            return nil
        } catch {
            return StartupFailure(.auditSigningKey, (error as? GatewayError)?.message ?? "\(error)",
                                  fix: "give an Ed25519 or ECDSA P-256 PEM key (audit.signing_key or --audit-key), e.g. made with "
                                      + "`openssl genpkey -algorithm ED25519 -out FILE`")
        }
    }

    /// The data folder exists (it is created 0700 when missing) and this process can list it and
    /// create and remove a file in it: a probe file, not a store.
    public static let dataFolder = StartupCheck("data folder") { configuration in
        let path = configuration.dataDirectory
        let fix = "create it and give the gateway's user read and write access (`mkdir -p \(path) && chown USER \(path) && chmod 700 \(path)`), "
            + "or point data_dir (--data-dir) elsewhere"
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                return StartupFailure(.dataFolder, "data_dir \(path) is not a folder", fix: "point data_dir (--data-dir) at a folder")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                return StartupFailure(.dataFolder, "data_dir \(path) cannot be created (\(error.localizedDescription))", fix: fix)
            }
        }
        guard let folder = opendir(path) else {
            return StartupFailure(.dataFolder, "data_dir \(path) cannot be read by this user (uid \(getuid())): \(String(cString: strerror(errno)))", fix: fix)
        }
        closedir(folder)
        let probe = "\(path)/.genomegate-write-test-\(getpid())"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            return StartupFailure(.dataFolder, "data_dir \(path) is not writable by this user (uid \(getuid())): \(String(cString: strerror(errno)))", fix: fix)
        }
        close(descriptor)
        unlink(probe)
        return nil
    }

    /// The data folder holds a policy store (opening a missing one would create an empty store).
    public static let policyStorePresent = StartupCheck("policy store") { configuration in
        let path = (configuration.dataDirectory as NSString).appendingPathComponent(PolicyDatabase.fileName)
        guard !FileManager.default.fileExists(atPath: path) else { return nil }
        return StartupFailure(.policyStoreMissing, "the data folder has no policy store yet (\(path))",
                              fix: "bootstrap it with `genomegate policy import DIR --data-dir \(configuration.dataDirectory)` (example files: policy/)")
    }
}
