/**
 * `Float64Array.prototype.copyWithin`, for calls as `copyWithin.call(array, target, start, end)`. Read off the
 * array at each call (`array.copyWithin(…)`), the method is looked up again every time: V8's optimised code
 * leaves that load to a load IC, a call of its own on top of the runtime call that moves the elements. Held in a
 * constant, the call goes to the method directly.
 */
export const copyWithin = Float64Array.prototype.copyWithin;
