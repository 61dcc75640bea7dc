using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashSale.Api.Extensions;

/// <summary>Writes times as ISO 8601 UTC with a <c>Z</c>, as the contract says; reads any ISO 8601 offset.</summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
