import SlackEmulator
import Vapor

/// Stops the demo's Slack emulator with the app.
struct SlackEmulatorLifecycle: LifecycleHandler {
    let server: SlackEmulatorServer

    func shutdownAsync(_ application: Application) async {
        await server.shutdown()
    }
}
