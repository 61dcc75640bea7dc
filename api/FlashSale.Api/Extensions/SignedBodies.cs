namespace FlashSale.Api.Extensions;

/// <summary>The raw body of a signed callback (a payment webhook, a phone gateway step): the exact bytes the signature covers.</summary>
public static class SignedBodies
{
    /// <summary>The body byte for byte, or null when it is longer than <paramref name="maxBytes"/> (never read past that).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(maxBytes, 8192)];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
