namespace ChatPlatform.Web.Admin.Users;

/// <summary>A user-management action that would break a rule (the last active admin, an unknown user); the message says which, for the page.</summary>
public sealed class AccountChangeRefusedException(string message) : Exception(message);
