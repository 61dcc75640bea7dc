namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>A signed-up seller, shopper or agent, with a client that sends its bearer token.</summary>
public sealed record Caller(string Id, string Role, string Token, HttpClient Http);
