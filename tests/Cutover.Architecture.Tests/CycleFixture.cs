// Two namespaces that use each other, on purpose: NamespaceCycleTests checks that the graph finds them.
namespace Cutover.Architecture.Tests.CycleA
{
    internal static class First
    {
        public static int Next(int value) => CycleB.Second.Back(value + 1);
    }
}

namespace Cutover.Architecture.Tests.CycleB
{
    internal static class Second
    {
        public static int Back(int value) => value > 3 ? value : CycleA.First.Next(value);
    }
}
