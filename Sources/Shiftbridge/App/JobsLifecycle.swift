import Vapor

/// Stops the background jobs at shutdown, waiting for passes under way.
struct JobsLifecycle: LifecycleHandler {
    let jobs: JobRunner

    func shutdownAsync(_ application: Application) async {
        await jobs.stop()
    }
}
