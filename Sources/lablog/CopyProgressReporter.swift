import Foundation
import LablogCore

/// Shows a copy's progress on stderr: a progress bar redrawn in place on a terminal, and a plain line every
/// `lineInterval` (and at each change of phase) otherwise, so logs of unattended copies stay readable.
actor CopyProgressReporter {
    private let interactive: Bool
    private let lineInterval: Duration
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastShown: ContinuousClock.Instant?
    private var lastPhase: StoreCopier.Progress.Phase?
    private var latest: StoreCopier.Progress?
    private var barShown = false

    init(interactive: Bool, lineInterval: Duration) {
        self.interactive = interactive
        self.lineInterval = lineInterval
        started = clock.now
    }

    /// Takes a progress report, showing it when the screen or the log is due for one.
    func report(_ progress: StoreCopier.Progress) {
        latest = progress
        let now = clock.now
        let phaseChanged = progress.phase != lastPhase
        let interval = interactive ? Duration.milliseconds(100) : lineInterval
        guard phaseChanged || lastShown.map({ now - $0 >= interval }) ?? true else { return }
        lastPhase = progress.phase
        lastShown = now
        show(progress, elapsed: now - started)
    }

    /// Shows the last report once more and ends the progress bar's line.
    func finish() {
        if let latest, lastShown != nil, interactive {
            show(latest, elapsed: clock.now - started)
        }
        if barShown { write("\n") }
        barShown = false
    }

    private func show(_ progress: StoreCopier.Progress, elapsed: Duration) {
        let text = Self.describe(progress, elapsed: elapsed)
        if interactive {
            // Return to the line's start and clear it, then redraw.
            write("\r\u{1B}[2K" + Self.bar(Self.fraction(progress)) + " " + text)
            barShown = true
        } else {
            write("lablog copy: " + text + "\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The share of the work done: by points when there are any, by runs otherwise.
    static func fraction(_ progress: StoreCopier.Progress) -> Double {
        if progress.phase == .done { return 1 }
        if progress.pointsTotal > 0 { return Double(progress.pointsDone) / Double(progress.pointsTotal) }
        if progress.runsTotal > 0 { return Double(progress.runsDone) / Double(progress.runsTotal) }
        return 0
    }

    static func bar(_ fraction: Double, width: Int = 24) -> String {
        let filled = max(0, min(width, Int((fraction * Double(width)).rounded(.down))))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    /// `runs 120/500, points 1.2M/10M (12%), 250k points/s, ETA 0:35 (runs)` and the phase when not copying runs.
    static func describe(_ progress: StoreCopier.Progress, elapsed: Duration) -> String {
        let seconds = max(0.001, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        let percent = Int((fraction(progress) * 100).rounded(.down))
        var parts = [
            "runs \(progress.runsDone)/\(progress.runsTotal)",
            "points \(compact(progress.pointsDone))/\(compact(progress.pointsTotal)) (\(percent)%)",
        ]
        let rate = Double(progress.pointsWritten) / seconds
        parts.append("\(compact(Int(rate))) points/s")
        let remaining = Double(max(0, progress.pointsTotal - progress.pointsDone))
        if progress.phase == .done {
            parts.append("done in \(clockTime(seconds))")
        } else if remaining == 0 || rate <= 0 {
            parts.append("ETA --")
        } else {
            parts.append("ETA \(clockTime(remaining / rate))")
        }
        if progress.phase != .runs && progress.phase != .done {
            parts.append(progress.phase.rawValue)
        }
        return parts.joined(separator: ", ")
    }

    /// 950, 12.3k, 4.5M, 1.2G.
    static func compact(_ value: Int) -> String {
        let number = Double(value)
        switch abs(number) {
        case ..<1_000: return "\(value)"
        case ..<1_000_000: return String(format: "%.1fk", number / 1_000)
        case ..<1_000_000_000: return String(format: "%.1fM", number / 1_000_000)
        default: return String(format: "%.1fG", number / 1_000_000_000)
        }
    }

    /// 0:07, 12:34, 1:02:03.
    static func clockTime(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let tail = String(format: "%02d", rest)
        return hours > 0 ? "\(hours):" + String(format: "%02d", minutes) + ":\(tail)" : "\(minutes):\(tail)"
    }
}
