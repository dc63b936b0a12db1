import PagerDutyEmulator
import Vapor

/// Stops the demo's emulator with the app.
struct EmulatorLifecycle: LifecycleHandler {
    let server: EmulatorServer

    func shutdownAsync(_ application: Application) async {
        await server.shutdown()
    }
}
