using FlashSale.Api.Extensions;
using FlashSale.Common;
using FlashSale.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Apis;

/// <summary>The local payment methods of a market, which checkout accepts for that currency.</summary>
public static class PaymentMethodsApi
{
    public static IEndpointRouteBuilder MapPaymentMethodsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/payment-methods").WithTags("Payments")
            .MapGet("/", ListMethods).WithSummary("Payment methods offered for a currency");
        return app;
    }

    public static Results<Ok<IReadOnlyList<PaymentMethodInfo>>, ValidationProblem> ListMethods(string? currency, IOptions<PaymentOptions> payments)
    {
        if (!Iso4217.IsCurrency(currency))
        {
            return new RequestErrors().Add("currency", ApiTexts.NotACurrency.Format("currency")).ToProblem();
        }

        return TypedResults.Ok(payments.Value.MethodsFor(currency!));
    }
}
