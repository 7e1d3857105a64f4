import AuditLog
import Logging
import ServiceLifecycle

/// Runs the audit log's writer: commits waiting records as they arrive (group commit),
/// signs a checkpoint when one is due, refuses callers whose commit is overdue (a hung disk
/// answers 503, not never), and at shutdown writes what is left and a final checkpoint. Listed before the HTTP server, so it stops after the server has drained.
struct AuditService: Service {
    let log: AuditLog
    let logger: Logger

    func run() async throws {
        let log = self.log
        await withTaskGroup(of: Void.self) { group in
            // Time-based checkpoints when traffic is light.
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    log.expireOverdue()
                    log.tick()
                }
            }
            var failing = false
            for await _ in log.wakeups.cancelOnGracefulShutdown() {
                await log.writePending()
                if log.isFailing != failing {
                    failing = log.isFailing
                    if failing {
                        logger.critical("the audit store cannot be written: every answer is withheld (503 audit_unavailable) until it can")
                    } else {
                        logger.notice("the audit store is writable again; answering resumes")
                    }
                }
            }
            group.cancelAll()
        }
        await log.close()
        logger.notice("audit log closed", metadata: ["audit.sequence": "\(log.headSequence)"])
    }
}
