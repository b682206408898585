// FNV-1a 32-bit hash of a string, as a native addon.
#include <napi.h>

static Napi::Value Hash(const Napi::CallbackInfo& info) {
  std::string s = info[0].As<Napi::String>().Utf8Value();
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return Napi::Number::New(info.Env(), h);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("hash", Napi::Function::New(env, Hash));
  return exports;
}

NODE_API_MODULE(fnv, Init)
