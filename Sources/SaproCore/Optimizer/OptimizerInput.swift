import Foundation

extension LoggedReview {
    /// The reviews of a JSON Lines log in `srs replay`'s input format
    /// (`{"card": …, "time": …, "rating": 1…4}` per line); a bad line throws with its number.
    public static func parse(jsonLines bytes: [UInt8]) throws(ReplayError) -> [LoggedReview] {
        var scanner = ReplayScanner()
        var batch = ScannedReviews()
        bytes.withUnsafeBytes { scanner.scan($0, into: &batch) }
        scanner.finish(into: &batch)
        if let error = batch.error { throw error }
        return batch.reviews.map { review in
            LoggedReview(
                card: String(decoding: batch.bytes[review.key], as: UTF8.self), time: review.time,
                rating: review.rating.rawValue)
        }
    }

    /// The drill reviews of a progress log: the reviews that move a card's schedule.
    public static func drills(in log: ReviewLog) -> [LoggedReview] {
        let cards = log.cards
        return log.rows.compactMap { row in
            guard row.mode == .drill, (1...4).contains(row.rating) else { return nil }
            return LoggedReview(
                card: cards[Int(row.card)], time: Date(timeIntervalSinceReferenceDate: row.time), rating: row.rating)
        }
    }
}
