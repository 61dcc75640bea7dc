namespace FlashSale.Api.Extensions;

/// <summary>
/// Every log line written while a request runs carries the ids it names (lot, order, payment,
/// shopper), so one sale or one order can be followed through the logs of every node.
/// </summary>
internal sealed class LogScopes(RequestDelegate next, ILogger<LogScopes> logger)
{
    private static readonly string[] Names = ["lotId", "orderId", "paymentId", "shopperId"];

    public async Task InvokeAsync(HttpContext context)
    {
        var values = context.Request.RouteValues;
        var scope = Names.Where(values.ContainsKey).ToDictionary(name => name, name => values[name]);
        if (scope.Count == 0)
        {
            await next(context);
            return;
        }

        using (logger.BeginScope(scope))
        {
            await next(context);
        }
    }
}
