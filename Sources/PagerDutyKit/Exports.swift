// Clients of PagerDutyKit send through the shared transport without importing it themselves.
@_exported import HTTPTransport
