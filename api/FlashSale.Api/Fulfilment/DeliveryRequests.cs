using FlashSale.Api.Extensions;
using FlashSale.Common;
using FlashSale.Fulfilment;

namespace FlashSale.Api.Fulfilment;

/// <summary>The checkout's and <c>PUT /api/orders/{orderId}/delivery</c>'s <c>delivery</c>: <c>{kind: "pickup", pointId}</c> or <c>{kind: "home", address}</c>.</summary>
public sealed record DeliveryRequest(string? Kind, string? PointId, AddressRequest? Address)
{
    /// <summary>A stable text of the parsed choice, for the idempotency fingerprint.</summary>
    public string Canonical() =>
        $"kind={Kind}|point={PointId}|name={Address?.Name}|phone={Address?.Phone}|line1={Address?.Line1}|village={Address?.Village}|region={Address?.Region}";
}

public sealed record AddressRequest(string? Name, string? Phone, string? Line1, string? Village, string? Region);

public static class DeliveryRequests
{
    public const int MaxNameLength = 100;
    public const int MaxLineLength = 200;
    public const int MaxPhoneLength = 20;

    /// <summary>
    /// Checks the choice and resolves its point; field errors go into <paramref name="errors"/>
    /// under the contract's names (<c>delivery.address.phone</c>), and null comes back.
    /// </summary>
    public static async Task<OrderDelivery?> Resolve(DeliveryRequest request, RequestErrors errors, IGrainFactory grains)
    {
        switch (request.Kind)
        {
            case "pickup":
                if (request.Address is not null)
                {
                    errors.Add("delivery.address", FulfilmentApiTexts.OnlyForHome);
                }

                if (string.IsNullOrWhiteSpace(request.PointId))
                {
                    errors.Add("delivery.pointId", ApiTexts.Required.Format("delivery.pointId"));
                    return null;
                }

                if (!Ids.IsWellFormed(request.PointId, PickupPoints.PointPrefix)
                    || await grains.GetGrain<IPickupPointDirectoryGrain>(0).Find(request.PointId) is not { } point)
                {
                    errors.Add("delivery.pointId", FulfilmentApiTexts.NoSuchPoint);
                    return null;
                }

                return errors.Any ? null : OrderDelivery.AtPoint(point);

            case "home":
                if (request.PointId is not null)
                {
                    errors.Add("delivery.pointId", FulfilmentApiTexts.OnlyForPickup);
                }

                if (request.Address is not { } a)
                {
                    errors.Add("delivery.address", ApiTexts.Required.Format("delivery.address"));
                    return null;
                }

                errors.Text("delivery.address.name", a.Name, max: MaxNameLength)
                    .Text("delivery.address.phone", a.Phone, max: MaxPhoneLength)
                    .Text("delivery.address.line1", a.Line1, max: MaxLineLength)
                    .Text("delivery.address.village", a.Village, max: MaxNameLength)
                    .Text("delivery.address.region", a.Region, max: MaxNameLength);
                if (!string.IsNullOrWhiteSpace(a.Phone) && !IsPhone(a.Phone.Trim()))
                {
                    errors.Add("delivery.address.phone", FulfilmentApiTexts.PhoneShape);
                }

                return errors.Any
                    ? null
                    : OrderDelivery.ToHome(new DeliveryAddress(a.Name!.Trim(), a.Phone!.Trim(), a.Line1!.Trim(), a.Village!.Trim(), a.Region!.Trim()));

            default:
                errors.Add("delivery.kind", FulfilmentApiTexts.KindIs);
                return null;
        }
    }

    /// <summary>Digits with an optional leading +, spaces and dashes between: 5 to 15 digits.</summary>
    private static bool IsPhone(string phone)
    {
        var digits = phone.Count(char.IsAsciiDigit);
        return digits is >= 5 and <= 15
               && phone.Select((c, i) => char.IsAsciiDigit(c) || c is ' ' or '-' || (c == '+' && i == 0)).All(ok => ok);
    }
}
