using LiveAspire.Hosting;

namespace LiveAspire.Data.Schema;

/// <summary>The schema cannot be brought up to date (edited or failing migration, bad migration set); the Api must not start.</summary>
public sealed class SchemaMigrationException(string message, Exception? inner = null) : StartupException(message, inner);
