import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What Linux's `/proc` tells about a process (the server's, or the load generator's own): memory and CPU time.
struct ServerProcessInfo: Sendable {
    let pid: Int32

    /// The load generator's own process.
    static var current: ServerProcessInfo { ServerProcessInfo(pid: getpid()) }

    /// Peak (`VmHWM`) and current (`VmRSS`) resident memory in bytes.
    func residentMemory() throws -> (peak: Int, current: Int) {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func kilobytes(_ field: String) throws -> Int {
            guard
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first,
                let number = Int(value)
            else { throw BenchError("/proc/\(pid)/status has no \(field) line") }
            return number * 1024
        }
        return (try kilobytes("VmHWM"), try kilobytes("VmRSS"))
    }

    /// User plus system CPU time the process has used so far, in seconds.
    func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
        guard let close = stat.lastIndex(of: ")") else { throw BenchError("Unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name and state.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchError("Unreadable /proc/\(pid)/stat")
        }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / ticksPerSecond
    }
}
