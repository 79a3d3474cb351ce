import ArgumentParser

/// The one range check for numeric options: every numeric option of every command goes through
/// it where it is parsed (in `validate()`), so a value outside its range is refused with a
/// message that names the option and the allowed range.
enum OptionRange {
    static func check<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ name: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }

    static func check<T: Comparable>(_ value: T?, _ range: ClosedRange<T>, _ name: String) throws {
        if let value { try check(value, range, name) }
    }

    /// A probability: the text shows the range as the user types it.
    static func check(_ value: Double, _ range: ClosedRange<Double>, _ name: String) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }
}
