import GatewayPolicy
import NIOConcurrencyHelpers

/// The member directory in force, swapped atomically by a reload.
public final class MemberDirectoryProvider: Sendable {
    private let directory: NIOLockedValueBox<MemberDirectory>

    public init(_ directory: MemberDirectory) {
        self.directory = NIOLockedValueBox(directory)
    }

    public var current: MemberDirectory { directory.withLockedValue { $0 } }

    public func replace(with fresh: MemberDirectory) {
        directory.withLockedValue { $0 = fresh }
    }
}
