import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Advisory lock on a data directory (`smartcontent.lock`): every engine holds it shared,
/// so commands that must be alone (`compact`, `restore --force`) take it exclusively and
/// fail at once while a server or another tool has the store open.
public final class StoreLock: Sendable {
    public enum Failure: Error, CustomStringConvertible, Sendable {
        case busy(String)
        case unavailable(String)

        public var description: String {
            switch self {
            case .busy(let path):
                "\(path) is in use by another process (a running server or tool); stop it first"
            case .unavailable(let reason): "cannot lock the store: \(reason)"
            }
        }
    }

    /// -1 once released.
    private let descriptor: Mutex<Int32>

    /// Takes the lock without waiting.
    public init(directory: String, exclusive: Bool) throws(Failure) {
        let path = directory + "/smartcontent.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unavailable("open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            close(fd)
            throw busy ? .busy(directory) : .unavailable(String(cString: strerror(errno)))
        }
        descriptor = Mutex(fd)
    }

    /// Gives the lock back now, rather than when the last reference goes: a command that
    /// closes its engine and then compacts must not find itself in the way.
    public func release() {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    deinit { release() }
}
