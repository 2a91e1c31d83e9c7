import CLMDB

/// An error returned by the LMDB C library, carrying its return code.
///
/// Every `mdb_*` call goes through ``check(_:_:)``, so callers can match codes directly:
///
/// ```swift
/// do { try env.write { … } } catch LMDBError.Code.notFound { … }
/// ```
public struct LMDBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An LMDB return code (negative) or an `errno` value (positive).
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let notFound = Code(rawValue: clmdb_notfound())
        public static let keyExists = Code(rawValue: clmdb_keyexist())
        public static let mapFull = Code(rawValue: clmdb_map_full())
        public static let mapResized = Code(rawValue: clmdb_map_resized())
        public static let transactionFull = Code(rawValue: clmdb_txn_full())
        public static let readersFull = Code(rawValue: clmdb_readers_full())
        public static let corrupted = Code(rawValue: clmdb_corrupted())
        /// A key that is empty or longer than the environment's maximum (511 bytes in
        /// Debian's build): refused before it reaches C.
        public static let badValueSize = Code(rawValue: clmdb_bad_valsize())
        /// `EBUSY`: the environment is already open in this process.
        public static let busy = Code(rawValue: 16)
        /// `EBADF`: the environment was closed.
        public static let closed = Code(rawValue: 9)

        /// Lets `catch LMDBError.Code.mapFull` match a thrown ``LMDBError``.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? LMDBError)?.code == code
        }
    }

    public let code: Code
    /// The C function (or step) that failed, e.g. `mdb_put`.
    public let operation: String

    public init(code: Code, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var description: String {
        "\(operation) failed: \(String(cString: mdb_strerror(code.rawValue))) (\(code.rawValue))"
    }
}

/// The one gate every LMDB return code passes through.
@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if rc != 0 { throw LMDBError(code: .init(rawValue: rc), operation: operation()) }
}
