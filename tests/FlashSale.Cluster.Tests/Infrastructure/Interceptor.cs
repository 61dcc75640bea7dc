using System.Reflection;
using System.Runtime.ExceptionServices;

namespace FlashSale.Cluster.Tests.Infrastructure;

/// <summary>
/// Wraps an interface so a test can answer some of its calls itself and pass the rest on
/// (<c>proceed</c>): how a Redis client is made to report what a real server does only by chance.
/// </summary>
public class Interceptor : DispatchProxy
{
    private object _target = null!;
    private Func<MethodInfo, object?[]?, Func<object?>, object?> _handler = null!;

    public static T Wrap<T>(T target, Func<MethodInfo, object?[]?, Func<object?>, object?> handler)
        where T : class
    {
        var proxy = Create<T, Interceptor>();
        var interceptor = (Interceptor)(object)proxy;
        interceptor._target = target;
        interceptor._handler = handler;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return _handler(targetMethod, args, () =>
        {
            try
            {
                return targetMethod.Invoke(_target, args);
            }
            catch (TargetInvocationException invocation) when (invocation.InnerException is { } inner)
            {
                ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        });
    }
}
