import Foundation
import Testing
@testable import SaproCore

/// The four threading primitives, under contention. `make tsan` runs these (and the rest of the
/// suite) under ThreadSanitizer.
@Suite struct ThreadingPrimitives {
    /// A counter shared between threads for the tests' own bookkeeping.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        private var peak = 0
        func add(_ n: Int) {
            lock.withLock {
                value += n; peak = max(peak, value)
            }
        }
        var current: Int { lock.withLock { value } }
        var highest: Int { lock.withLock { peak } }
    }

    @Test func parallelForEachTouchesEachElementOnceInPlace() {
        var items = Array(repeating: [Int](), count: 2_000)
        let calls = Counter()
        let order = Array(items.indices.reversed())
        Parallel.forEach(inPlace: &items, order: order) { element in
            calls.add(1)
            for i in 0..<50 { element.append(i) }
        }
        #expect(calls.current == 2_000)
        #expect(items.allSatisfy { $0 == Array(0..<50) })
    }

    @Test func aPipelineStageKeepsOrderBoundsWhatWaitsAndStops() {
        final class Seen: @unchecked Sendable { var values: [Int] = [] }
        let seen = Seen()
        let waiting = Counter()
        let stage = PipelineStage<Int>(label: "test.order", capacity: 3) { value in
            seen.values.append(value)  // only the stage's body touches `seen`
            waiting.add(-1)
            if value % 97 == 0 { usleep(200) }
            return true
        }
        for value in 0..<5_000 {
            waiting.add(1)
            stage.submit(value)
        }
        stage.finish()
        #expect(seen.values == Array(0..<5_000))
        // The producer waits while three are queued: one more may be counted while it hands over.
        #expect(waiting.highest <= 4)
        #expect(!stage.stopped)

        let stopping = Seen()
        let stopper = PipelineStage<Int>(label: "test.stop", capacity: 2) { value in
            stopping.values.append(value)
            return value < 10
        }
        var submitted = 0
        for value in 0..<1_000 where !stopper.stopped {
            stopper.submit(value)
            submitted += 1
        }
        stopper.finish()
        #expect(stopper.stopped)
        #expect(stopping.values == Array(0...10))
        #expect(submitted < 1_000)
    }

    @Test func aBackgroundValueIsMadeOnceAndSeenByEveryThread() {
        let made = Counter()
        let background = Background<[Int]> {
            made.add(1)
            usleep(2_000)
            return Array(0..<100)
        }
        let sums = Counter()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in sums.add(background.value.reduce(0, +)) }
        #expect(made.current == 1)
        #expect(sums.current == 16 * 4_950)
    }

    @Test func aMemoGivesEveryThreadThePureValue() {
        let memo = Memo<Int, String>()
        let wrong = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for i in 0..<20_000 {
                let key = (i * 31 + thread) % 128
                if memo.value(for: key, { "value-\(key * key)" }) != "value-\(key * key)" { wrong.add(1) }
            }
        }
        #expect(wrong.current == 0)
    }

    @Test func quizzesBuiltOnManyThreadsAtOnceAreTheSame() throws {
        let builder = QuizBuilder(catalog: Repo.catalog)
        let reference = try builder.build(count: 300, seed: 42)
        let different = Counter()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            if (try? builder.build(count: 300, seed: 42)) != reference { different.add(1) }
        }
        #expect(different.current == 0)
        #expect(reference.questions.count == 300)
    }
}
