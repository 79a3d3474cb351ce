import Foundation

// All of sapro's threading is built from the four primitives in this file, each tested under
// contention and run under ThreadSanitizer (`make tsan`). Nothing else starts a thread, takes a
// lock or shares memory between threads.

/// Runs independent pieces of work on several threads at once.
public enum Parallel {
    /// Calls `body` once for each element of `items`, in place, on up to one thread per core,
    /// starting them in `order` (indices of `items`, each once; all of them by default). Each call
    /// sees only its own element, so the calls cannot race; returns when all are done.
    public static func forEach<Element>(
        inPlace items: inout [Element], order: [Int]? = nil, _ body: @Sendable (inout Element) -> Void
    ) {
        let order = order ?? Array(items.indices)
        guard !order.isEmpty else { return }
        precondition(Set(order).count == order.count && order.allSatisfy(items.indices.contains), "each index once")
        items.withUnsafeMutableBufferPointer { buffer in
            let elements = Elements(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: order.count) { iteration in
                body(&elements.base[order[iteration]])
            }
        }
    }

    /// The buffer, handed to the threads; each thread touches one element only.
    private struct Elements<Element>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Element>
    }
}

/// A serial stage of a pipeline: each input given to `submit` is handed to `body` on the stage's
/// own thread, in order. At most `capacity` inputs wait; `submit` blocks while the stage is full,
/// so a fast producer cannot run ahead of a slow stage. `body` returns false to stop the stage:
/// later inputs are dropped, and `stopped` tells the producer to stop making them. State that
/// `body` changes must be touched only by `body` (or after `finish`).
public final class PipelineStage<Input: Sendable>: @unchecked Sendable {
    private let queue: DispatchQueue
    private let slots: DispatchSemaphore
    private let body: @Sendable (Input) -> Bool
    private let lock = NSLock()
    private var stoppedFlag = false

    public init(label: String, capacity: Int = 4, _ body: @escaping @Sendable (Input) -> Bool) {
        precondition(capacity >= 1)
        queue = DispatchQueue(label: label)
        slots = DispatchSemaphore(value: capacity)
        self.body = body
    }

    /// True once `body` returned false.
    public var stopped: Bool { lock.withLock { stoppedFlag } }

    /// Queues `input` after the inputs before it; waits while `capacity` inputs are waiting.
    public func submit(_ input: Input) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard !stopped else { return }
            if !body(input) { lock.withLock { stoppedFlag = true } }
        }
    }

    /// Waits until every input submitted so far has been handled.
    public func finish() {
        queue.sync {}
    }
}

/// A value worked out on another thread while the caller goes on; `value` waits for it.
public final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before `done` is signalled; read only after waiting on it.
    private var result: Value?
    private let lock = NSLock()
    private var taken = false

    /// Starts `make` on another thread.
    public init(_ make: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            let made = make()
            self.result = made
            self.done.signal()
        }
    }

    /// The value, once made (waits for it). Every call gives the same value.
    public var value: Value {
        lock.withLock {
            if !taken {
                done.wait()
                taken = true
            }
            return result!
        }
    }
}

/// Values worked out once per key and shared by every thread: generators keep the parts of a
/// question that depend only on a few drawn parameters here, as building their text costs far
/// more than a lookup. `make` must be a pure function of the key (two threads may both make a
/// value; either is kept, and they are equal); errors are not kept.
final class Memo<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    func value<Failure: Error>(for key: Key, _ make: () throws(Failure) -> Value) throws(Failure) -> Value {
        if let found = lock.withLock({ values[key] }) { return found }
        let made = try make()
        lock.withLock { values[key] = made }
        return made
    }
}
