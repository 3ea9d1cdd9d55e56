#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a catalogue table really lives: a table or view on the connected server.
public struct RemoteTableRef: Sendable, Equatable {
    public var schema: String
    public var name: String
    public var isView: Bool
    /// The connection's label (`user@host:port/db`), for messages.
    public var server: String
}

/// One connection to a PostgreSQL server (or one that speaks its protocol), through libpq.
///
/// The password never passes through ansinh: libpq reads it from the URL, `PGPASSWORD` or
/// `~/.pgpass`. Queries are sent asynchronously and read row by row (single-row mode) while
/// the cancellation check is polled every 20 ms; Ctrl-C sends the protocol's cancel request.
public final class RemoteDatabase: @unchecked Sendable {
    let pq: LibPQ
    private var conn: LibPQ.Conn?
    /// `user@host:port/db`: no password.
    public let label: String
    /// `vi-x-icu` when the server has it (PostgreSQL built with ICU): text sort keys use it.
    public private(set) var textCollation: String?
    /// The prefix of the catalogue names: `pg.public.table`.
    public let prefix = "pg"

    /// Accepts `postgres://` and `postgresql://` URLs (libpq's own syntax, so `?host=/tmp`,
    /// `?sslmode=require` and `?options=-c%20statement_timeout%3D5000` work as in psql).
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    public init(url: String) throws(Diagnostic) {
        guard RemoteDatabase.isURL(url) else { throw Diagnostic(.usage, .remoteBadURL, [RemoteDatabase.withoutPassword(url)]) }
        let pq = try LibPQ.shared()
        self.pq = pq
        // Earlier keywords are defaults the URL can override; client_encoding after it is forced.
        let keywords = ["connect_timeout", "dbname", "client_encoding", "application_name"]
        let values = ["10", url, "UTF8", "ansinh"]
        let connection: LibPQ.Conn? = RemoteDatabase.withCStrings(keywords) { keys in
            RemoteDatabase.withCStrings(values) { vals in pq.connectdbParams(keys, vals, 1) }
        }
        guard let connection else {
            label = ""
            throw Diagnostic(.io, .remoteConnectFailed, [RemoteDatabase.withoutPassword(url), "out of memory"])
        }
        if pq.status(connection) != LibPQ.connectionOK {
            let reason = RemoteDatabase.clean(LibPQ.string(pq.errorMessage(connection)))
            pq.finish(connection)
            label = ""
            throw Diagnostic(.io, .remoteConnectFailed, [RemoteDatabase.withoutPassword(url), reason])
        }
        conn = connection
        let host = LibPQ.string(pq.host(connection)), port = LibPQ.string(pq.port(connection))
        label = "\(LibPQ.string(pq.user(connection)))@\(host.hasPrefix("/") ? host : host + ":" + port)/\(LibPQ.string(pq.db(connection)))"
    }

    deinit { close() }

    public func close() {
        if let conn { pq.finish(conn) }
        conn = nil
    }

    /// The URL as it may be shown: `postgres://user:secret@host` loses `:secret`.
    static func withoutPassword(_ url: String) -> String {
        let characters = Array(url)
        guard let colonSlash = (0..<max(0, characters.count - 2)).first(where: { characters[$0] == ":" && characters[$0 + 1] == "/" && characters[$0 + 2] == "/" }) else { return url }
        let start = colonSlash + 3
        guard let at = characters[start...].firstIndex(of: "@"),
              let colon = characters[start..<at].firstIndex(of: ":") else { return url }
        return String(characters[..<colon]) + String(characters[at...])
    }

    /// libpq's messages end with a line break and may span lines: one line for ours.
    static func clean(_ message: String) -> String {
        message.split(whereSeparator: { $0 == "\n" }).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    // MARK: - Catalogue

    /// Every table and view outside the system schemas, with its columns and their ansinh types.
    public func tables() throws(Diagnostic) -> [(ref: RemoteTableRef, fields: [Field])] {
        let sql = """
            SELECT c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg\\_toast%'
            ORDER BY c.table_schema, c.table_name, c.ordinal_position
            """
        let fields = [Field(name: "schema", type: .text), Field(name: "table", type: .text), Field(name: "kind", type: .text),
                      Field(name: "column", type: .text), Field(name: "type", type: .text)]
        let rows = try query(sql, fields: fields, cancellation: .never, maximumRows: Int.max)
        var result: [(ref: RemoteTableRef, fields: [Field])] = []
        for row in 0..<rows.rowCount {
            let values = (0..<5).map { column -> String in
                if case .text(let text) = rows.columns[column].value(at: row) { return text }
                return ""
            }
            let ref = RemoteTableRef(schema: values[0], name: values[1], isView: values[2] == "VIEW", server: label)
            let field = Field(name: UnicodeText.nfc(values[3]), type: RemoteDatabase.type(of: values[4]))
            if let last = result.last, last.ref == ref {
                result[result.count - 1].fields.append(field)
            } else {
                result.append((ref, [field]))
            }
        }
        let collations = try query("SELECT collname FROM pg_collation WHERE collname = 'vi-x-icu'", fields: [Field(name: "name", type: .text)], cancellation: .never, maximumRows: 10)
        textCollation = collations.rowCount > 0 ? "vi-x-icu" : nil
        return result
    }

    /// information_schema's `data_type` as an ansinh type; dates, times and everything else are text.
    static func type(of sqlType: String) -> DataType {
        switch sqlType.lowercased() {
        case "smallint", "integer", "bigint": .integer
        case "numeric", "real", "double precision", "decimal": .decimal
        case "boolean": .boolean
        default: .text
        }
    }

    // MARK: - Queries

    /// Runs `sql` and reads its rows into a table with `fields` (the types the binder gave).
    ///
    /// Text is NFC-normalised as it arrives, as CSV imports are, so NFD text on the server reads
    /// the same as everywhere else in ansinh.
    public func query(_ sql: String, fields: [Field], cancellation: CancellationCheck, maximumRows: Int, name: String = "result") throws(Diagnostic) -> Table {
        guard let conn else { throw Diagnostic(.io, .remoteNotConnected) }
        guard sql.withCString({ pq.sendQuery(conn, $0) }) == 1 else {
            throw lost(LibPQ.string(pq.errorMessage(conn)))
        }
        _ = pq.setSingleRowMode(conn)
        let builders = fields.map { ColumnBuilder(type: $0.type == .null ? .text : $0.type) }
        var rowCount = 0
        var cancelSent = false
        var tooMany = false
        var failure: Diagnostic?
        let fd = pq.socket(conn)
        while true {
            while pq.isBusy(conn) == 1 {
                if !cancelSent, cancellation.isCancelled() {
                    sendCancel(conn)
                    cancelSent = true
                }
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 20)
                if ready != 0, pq.consumeInput(conn) == 0 {
                    throw lost(LibPQ.string(pq.errorMessage(conn)))
                }
            }
            guard let result = pq.getResult(conn) else { break }
            defer { pq.clear(result) }
            let status = pq.resultStatus(result)
            if status == LibPQ.singleTuple || status == LibPQ.tuplesOK {
                guard !cancelSent, failure == nil, pq.ntuples(result) > 0 else { continue }
                if pq.nfields(result) != Int32(fields.count) {
                    failure = Diagnostic(.io, .remoteQueryFailed, [label, "the server returned \(pq.nfields(result)) columns, ansinh expected \(fields.count)"])
                    continue
                }
                for row in 0..<pq.ntuples(result) {
                    for (column, builder) in builders.enumerated() {
                        append(result, row: row, column: Int32(column), to: builder)
                    }
                    rowCount += 1
                }
                if rowCount > maximumRows, !tooMany {
                    tooMany = true
                    sendCancel(conn)
                    cancelSent = true
                }
                if rowCount % 4096 == 0, !cancelSent, cancellation.isCancelled() {
                    sendCancel(conn)
                    cancelSent = true
                }
            } else if status != LibPQ.commandOK, failure == nil, !cancelSent {
                failure = serverError(result)
            }
        }
        if tooMany { throw Diagnostic(.limit, .resultTooLarge, ["more than \(maximumRows) rows"]) }
        if cancelSent { throw Diagnostic(.cancelled, .cancelled) }
        if let failure {
            if pq.status(conn) != LibPQ.connectionOK { throw lost(failure.arguments.last ?? "") }
            throw failure
        }
        return Table(name: name, fields: fields.map { field in var f = field; if f.type == .null { f.type = .text }; return f },
                     columns: builders.map { $0.finish() }, rowCount: rowCount)
    }

    private func append(_ result: LibPQ.Result, row: Int32, column: Int32, to builder: ColumnBuilder) {
        if pq.getisnull(result, row, column) == 1 { builder.appendNull(); return }
        guard let pointer = pq.getvalue(result, row, column) else { builder.appendNull(); return }
        let length = Int(pq.getlength(result, row, column))
        let text = pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        switch builder.type {
        case .integer:
            if let number = Int64(text) { builder.append(integer: number) }
            else if let number = Double(text), number.isFinite, number == number.rounded(), abs(number) < 9.2e18 { builder.append(integer: Int64(number)) }
            else { builder.appendNull() }
        case .decimal:
            if let number = Double(text), number.isFinite { builder.append(decimal: number) } else { builder.appendNull() }
        case .boolean:
            builder.append(boolean: text == "t" || text == "true")
        case .text, .null:
            builder.append(text: UnicodeText.nfc(text))
        }
    }

    private func sendCancel(_ conn: LibPQ.Conn) {
        guard let handle = pq.getCancel(conn) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = pq.cancel(handle, &buffer, Int32(buffer.count))
        pq.freeCancel(handle)
    }

    private func serverError(_ result: LibPQ.Result) -> Diagnostic {
        let message = RemoteDatabase.clean(LibPQ.string(pq.resultErrorMessage(result)))
        return Diagnostic(.io, .remoteQueryFailed, [label, message])
    }

    private func lost(_ reason: String) -> Diagnostic {
        Diagnostic(.io, .remoteConnectionLost, [label, RemoteDatabase.clean(reason)])
    }
}
