namespace LiveAspire.Realtime.Access;

/// <summary>
/// Marks a hub method a guest (an anonymous viewer's token, <c>tuse=guest</c>) may call. Every other method refuses
/// guests with <c>guest_forbidden</c> (<see cref="GuestMethodFilter"/>): refusal is the default, so a method added
/// later (chat, tips) is closed to guests until someone decides otherwise here, next to the method.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AllowGuestsAttribute : Attribute;
