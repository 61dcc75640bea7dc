namespace FlashSale.Api.Tests.Infrastructure;

// One collection, and so one API with its own silo and clock, per resource: resources run side by
// side, while the tests of one resource run one after another and may move their clock freely.
// The bad-input table runs twice, in the Production and the Development environment, whose
// frameworks refuse unreadable bodies by different paths.

[CollectionDefinition(Name)]
public sealed class IdentityApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "identity api";
}

[CollectionDefinition(Name)]
public sealed class LotsApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "lots api";
}

[CollectionDefinition(Name)]
public sealed class CartApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "cart api";
}

[CollectionDefinition(Name)]
public sealed class CheckoutApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "checkout api";
}

[CollectionDefinition(Name)]
public sealed class OrdersApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "orders api";
}

[CollectionDefinition(Name)]
public sealed class PaymentMethodsApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "payment methods api";
}

[CollectionDefinition(Name)]
public sealed class OperationsApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "operations api";
}

[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "bad input";
}

[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<ProductionApiFactory>
{
    public const string Name = "production profile";
}
