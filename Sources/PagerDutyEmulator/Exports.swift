// Users of the emulator read its JSON values without importing the support target.
@_exported import EmulatorSupport
