@_exported import enum ShiftbridgeCore.JSON
