namespace FlashSale.Cluster.Embedded;

/// <summary>
/// The host cannot start as configured (its data folder is in use, a configured port is taken).
/// The message is one line for the operator; the run command prints it and exits.
/// </summary>
public sealed class StartupRefusedException(string message) : Exception(message);
