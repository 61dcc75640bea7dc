using System.Buffers;
using System.Reflection;
using System.Text.Json;
using FlashSale.Api.Apis;
using Microsoft.AspNetCore.Http.Metadata;

namespace FlashSale.Api.Catalog;

/// <summary>
/// A catalog page written from the lots' JSON the catalog view keeps, in the shape of
/// <see cref="LotPage"/> (<c>{items, next}</c>, <c>next</c> left out on the last page): the bytes are
/// copied, not serialized again. Declares itself to OpenAPI as a 200 <see cref="LotPage"/>.
/// </summary>
public sealed class LotPageResult(IReadOnlyList<CatalogItem> items, string? next) : IResult, IEndpointMetadataProvider
{
    private static readonly byte[] ItemsStart = "{\"items\":["u8.ToArray();
    private static readonly byte[] NextStart = "],\"next\":"u8.ToArray();
    private static readonly byte[] ItemsEnd = "]}"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        body.Write(ItemsStart);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                body.Write(","u8);
            }

            body.Write(items[i].Json);
        }

        if (next is null)
        {
            body.Write(ItemsEnd);
        }
        else
        {
            body.Write(NextStart);
            body.Write(JsonSerializer.SerializeToUtf8Bytes(next));
            body.Write("}"u8);
        }

        await body.FlushAsync(httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(LotPage), ["application/json"]));
}
