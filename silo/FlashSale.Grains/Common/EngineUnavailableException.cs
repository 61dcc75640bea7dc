namespace FlashSale.Common;

/// <summary>
/// The engine could not complete a command for a reason that a retry may fix (a storage write
/// failed). Nothing was acknowledged; the API answers 503 with <c>Retry-After</c>.
/// </summary>
[GenerateSerializer]
public sealed class EngineUnavailableException : Exception
{
    public EngineUnavailableException()
    {
    }

    public EngineUnavailableException(string message)
        : base(message)
    {
    }

    public EngineUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
