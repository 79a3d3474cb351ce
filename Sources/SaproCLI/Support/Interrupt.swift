import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

nonisolated(unsafe) private var interruptRequested: sig_atomic_t = 0

/// Ctrl-C as a request to stop a long computation cleanly, for the length of `body`; the
/// previous SIGINT handling (the REPL's, or ending the process) is restored afterwards.
enum Interrupt {
    static func catching<T>(_ body: (_ requested: () -> Bool) throws -> T) rethrows -> T {
        interruptRequested = 0
        var action = sigaction()
        var previous = sigaction()
        #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { _ in interruptRequested = 1 }
        #else
            action.__sigaction_u.__sa_handler = { _ in interruptRequested = 1 }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, &previous)
        defer {
            sigaction(SIGINT, &previous, nil)
            interruptRequested = 0
        }
        return try body { interruptRequested != 0 }
    }
}
