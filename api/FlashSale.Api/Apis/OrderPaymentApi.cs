using System.Security.Claims;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using FlashSale.Orders;
using FlashSale.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Apis;

/// <summary>
/// An order's payment record, beyond the order's <c>payment</c> summary: every notification
/// received and what became of it, how the payment was settled (paid, stock retaken after the
/// deadline, or refunded) and the refund, if any. For the order's shopper, and for the agent of
/// a villager's order.
/// </summary>
public static class OrderPaymentApi
{
    public static IEndpointRouteBuilder MapOrderPaymentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders/{orderId}/payment", ForShopper).WithTags("Orders").RequireAuthorization(Roles.Shopper)
            .WithSummary("The order's payment record: events, settlement path, refund");
        app.MapGet("/api/agent/orders/{orderId}/payment", ForAgent).WithTags("Village agents").RequireAuthorization(Roles.Agent)
            .WithSummary("The payment record of a villager's order");
        return app;
    }

    public static async Task<Results<Ok<OrderPaymentRecord>, ProblemHttpResult>> ForShopper(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        await Find(orderId, grains) is { } order && string.Equals(order.ShopperId, user.ShopperId(), StringComparison.Ordinal)
            ? TypedResults.Ok(await Record(order, grains))
            : Problems.NotFoundProblem(EngineTexts.TheOrder);

    public static async Task<Results<Ok<OrderPaymentRecord>, ProblemHttpResult>> ForAgent(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        await Find(orderId, grains) is { } order && await grains.GetGrain<Agents.IAgentGrain>(user.AgentId()).Represents(order.ShopperId)
            ? TypedResults.Ok(await Record(order, grains))
            : Problems.NotFoundProblem(EngineTexts.TheOrder);

    private static async Task<Order?> Find(string orderId, IGrainFactory grains) =>
        Ids.IsWellFormed(orderId, Ids.OrderPrefix) ? await grains.GetGrain<IOrderGrain>(orderId).Get() : null;

    private static async Task<OrderPaymentRecord> Record(Order order, IGrainFactory grains)
    {
        var settlement = await grains.GetGrain<IOrderGrain>(order.OrderId).GetSettlement();
        var payment = await grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get();
        return new OrderPaymentRecord(
            order.OrderId, order.Payment, settlement,
            payment.Events.Select(e => new PaymentEventView(
                e.Event.EventId, PaymentEvent.TypeNameOf(e.Event.Type), e.Event.AmountMinor, e.Event.Currency, e.Provider, e.ReceivedAt, e.Status, e.Detail)).ToList(),
            payment.Refund);
    }
}

public sealed record OrderPaymentRecord(
    string OrderId,
    OrderPayment Payment,
    PaymentSettlement? Settlement,
    IReadOnlyList<PaymentEventView> Events,
    PaymentRefundReceipt? Refund);

public sealed record PaymentEventView(
    string EventId,
    string Type,
    long AmountMinor,
    string Currency,
    string Provider,
    DateTimeOffset ReceivedAt,
    PaymentEventStatus Status,
    string? Detail);
