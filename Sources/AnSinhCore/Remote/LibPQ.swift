#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PostgreSQL's client library, loaded with `dlopen` the first time `.connect` needs it.
///
/// ansinh does not link libpq: linking it would load libpq and its dozen dependencies (OpenSSL,
/// Kerberos, LDAP) into every start, to serve the few sessions that connect. Only the functions
/// below are looked up, with their C signatures written out here (libpq's ABI has been stable
/// since 2005, soname libpq.so.5), so building needs no headers either.
final class LibPQ: @unchecked Sendable {
    typealias Conn = OpaquePointer
    typealias Result = OpaquePointer

    let connectdbParams: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Conn?
    let status: @convention(c) (Conn?) -> Int32
    let errorMessage: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let finish: @convention(c) (Conn?) -> Void
    let exec: @convention(c) (Conn?, UnsafePointer<CChar>?) -> Result?
    let sendQuery: @convention(c) (Conn?, UnsafePointer<CChar>?) -> Int32
    let setSingleRowMode: @convention(c) (Conn?) -> Int32
    let consumeInput: @convention(c) (Conn?) -> Int32
    let isBusy: @convention(c) (Conn?) -> Int32
    let socket: @convention(c) (Conn?) -> Int32
    let getResult: @convention(c) (Conn?) -> Result?
    let resultStatus: @convention(c) (Result?) -> Int32
    let resultErrorMessage: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
    let resultErrorField: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let ntuples: @convention(c) (Result?) -> Int32
    let nfields: @convention(c) (Result?) -> Int32
    let fname: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let ftype: @convention(c) (Result?, Int32) -> UInt32
    let getvalue: @convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let getlength: @convention(c) (Result?, Int32, Int32) -> Int32
    let getisnull: @convention(c) (Result?, Int32, Int32) -> Int32
    let clear: @convention(c) (Result?) -> Void
    let getCancel: @convention(c) (Conn?) -> OpaquePointer?
    let cancel: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32
    let freeCancel: @convention(c) (OpaquePointer?) -> Void
    let db: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let user: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let host: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let port: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?

    // Values of libpq's enums used here.
    static let connectionOK: Int32 = 0
    static let commandOK: Int32 = 1, tuplesOK: Int32 = 2, singleTuple: Int32 = 9
    static let diagSQLState = Int32(UInt8(ascii: "C")), diagPosition = Int32(UInt8(ascii: "P"))

    private init(handle: UnsafeMutableRawPointer) throws(Diagnostic) {
        func symbol<T>(_ name: String, _: T.Type) throws(Diagnostic) -> T {
            guard let pointer = dlsym(handle, name) else {
                throw Diagnostic(.io, .remoteNoDriver, ["libpq.so.5 has no \(name)"])
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        connectdbParams = try symbol("PQconnectdbParams", (@convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Conn?).self)
        status = try symbol("PQstatus", (@convention(c) (Conn?) -> Int32).self)
        errorMessage = try symbol("PQerrorMessage", (@convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?).self)
        finish = try symbol("PQfinish", (@convention(c) (Conn?) -> Void).self)
        exec = try symbol("PQexec", (@convention(c) (Conn?, UnsafePointer<CChar>?) -> Result?).self)
        sendQuery = try symbol("PQsendQuery", (@convention(c) (Conn?, UnsafePointer<CChar>?) -> Int32).self)
        setSingleRowMode = try symbol("PQsetSingleRowMode", (@convention(c) (Conn?) -> Int32).self)
        consumeInput = try symbol("PQconsumeInput", (@convention(c) (Conn?) -> Int32).self)
        isBusy = try symbol("PQisBusy", (@convention(c) (Conn?) -> Int32).self)
        socket = try symbol("PQsocket", (@convention(c) (Conn?) -> Int32).self)
        getResult = try symbol("PQgetResult", (@convention(c) (Conn?) -> Result?).self)
        resultStatus = try symbol("PQresultStatus", (@convention(c) (Result?) -> Int32).self)
        resultErrorMessage = try symbol("PQresultErrorMessage", (@convention(c) (Result?) -> UnsafeMutablePointer<CChar>?).self)
        resultErrorField = try symbol("PQresultErrorField", (@convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?).self)
        ntuples = try symbol("PQntuples", (@convention(c) (Result?) -> Int32).self)
        nfields = try symbol("PQnfields", (@convention(c) (Result?) -> Int32).self)
        fname = try symbol("PQfname", (@convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?).self)
        ftype = try symbol("PQftype", (@convention(c) (Result?, Int32) -> UInt32).self)
        getvalue = try symbol("PQgetvalue", (@convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?).self)
        getlength = try symbol("PQgetlength", (@convention(c) (Result?, Int32, Int32) -> Int32).self)
        getisnull = try symbol("PQgetisnull", (@convention(c) (Result?, Int32, Int32) -> Int32).self)
        clear = try symbol("PQclear", (@convention(c) (Result?) -> Void).self)
        getCancel = try symbol("PQgetCancel", (@convention(c) (Conn?) -> OpaquePointer?).self)
        cancel = try symbol("PQcancel", (@convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32).self)
        freeCancel = try symbol("PQfreeCancel", (@convention(c) (OpaquePointer?) -> Void).self)
        db = try symbol("PQdb", (@convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?).self)
        user = try symbol("PQuser", (@convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?).self)
        host = try symbol("PQhost", (@convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?).self)
        port = try symbol("PQport", (@convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?).self)
    }

    /// The names tried in turn: `ANSINH_LIBPQ` (a path), then the soname, then the dev symlink.
    static var candidates: [String] {
        var names: [String] = []
        if let custom = getenv("ANSINH_LIBPQ") { names.append(String(cString: custom)) }
        #if os(macOS)
        names += ["libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib", "/usr/local/opt/libpq/lib/libpq.5.dylib"]
        #else
        names += ["libpq.so.5", "libpq.so"]
        #endif
        return names
    }

    private static let lock = NSLockish()
    nonisolated(unsafe) private static var loaded: LibPQ?

    /// The library, loaded once.
    static func shared() throws(Diagnostic) -> LibPQ {
        var failure: Diagnostic?
        let library: LibPQ? = lock.locked {
            if let loaded { return loaded }
            var reason = ""
            for name in candidates {
                if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
                    do throws(Diagnostic) {
                        let library = try LibPQ(handle: handle)
                        loaded = library
                        return library
                    } catch {
                        failure = error
                        return nil
                    }
                }
                if let error = dlerror() { reason = String(cString: error) }
            }
            failure = Diagnostic(.io, .remoteNoDriver, [reason])
            return nil
        }
        if let library { return library }
        throw failure ?? Diagnostic(.io, .remoteNoDriver, [""])
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}
