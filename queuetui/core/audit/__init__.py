"""The audit trail: written hash-chained and fsync'd, rotated, copied to syslog, read back and verified."""
