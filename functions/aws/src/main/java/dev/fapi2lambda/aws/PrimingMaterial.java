package dev.fapi2lambda.aws;

/**
 * Fixed, public, verify-only material for {@link Priming}: JWK sets and JWTs signed once, offline,
 * at 2026-11-24T16:00Z with keys that were thrown away afterwards. Nothing here is secret and
 * nothing here can be used to sign anything; the issuer and URLs are on the reserved
 * {@code .invalid} domain, so none of it means anything to a real server.
 */
final class PrimingMaterial {
    /** A client's registered JWK set: one P-256 public key. */
    static final String CLIENT_JWKS = "{\"keys\":[{\"kty\":\"EC\",\"use\":\"sig\",\"crv\":\"P-256\",\"kid\":\"KIacXhz3iYueh2iISxuC5DHy0Sgx4"
            + "7BnFIDKILDgAFU\",\"x\":\"A7Zuhwvcb7Egh0jSTVs02zJuJbK68gk6oFXMt27ziQI\",\"y\":\"_tWGkDFJUAP9n7_NMRm0B"
            + "u57VJ0y2RUvVnh6XUO-zbE\",\"alg\":\"ES256\"}]}";

    /** A server's published JWK set: RSA 3072 (PS256) and the P-256 key. */
    static final String SERVER_JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"use\":\"sig\",\"kid\":\"Ns5tXjE21DE-iw0wc9DY3n-16MKgqdW"
            + "eqTd64rLaQqM\",\"alg\":\"PS256\",\"n\":\"vH9ZA4KPbef84Na6rNiENw1EBEQrrkxHky20thijS_WtgMTZGA07GXNgp5-"
            + "jQ219RspbOuYmBB5FPsx54eQTMLxNIkxpM0kas91nn9WJl51CX9DNSfAKvwqd4VWRJvvglZYupPjpDA_ET3ROh13Rs621_nIdhxP"
            + "z252ydCgUHumlF1yJXxvCdmk_rU8wPtCqtbHL7R1xyET-635p-ZBlTYGIFr2OFnnJlf5jAqGaMRhe0y32Kt6gPnh_g4HDusdL2Wr"
            + "2uXxtdgicIh-BagnB4JpVbezY0wAl46c5K6kulBT8Cobt2XHKEb2BYHsunlBtsmJcb3MkOoeOpB-jFyxDmrg64ghwgRTTPnfpHFi"
            + "sdlQrTDHYldmjl6JbeWojKNrYhqMrvWraUcQ-mKjBXg5xhwhT0WWKU_fnTENLc4RYec4Crie98Wo-5eu2sEaBnrJpqfBdwUGJ-R6"
            + "zL4POEQzrqfrdnx6BOz0jPjt3bQKCkqPROI82l6v_ZW8G6i8Nez7x\"},{\"kty\":\"EC\",\"use\":\"sig\",\"crv\":\"P"
            + "-256\",\"kid\":\"KIacXhz3iYueh2iISxuC5DHy0Sgx47BnFIDKILDgAFU\",\"x\":\"A7Zuhwvcb7Egh0jSTVs02zJuJbK68"
            + "gk6oFXMt27ziQI\",\"y\":\"_tWGkDFJUAP9n7_NMRm0Bu57VJ0y2RUvVnh6XUO-zbE\",\"alg\":\"ES256\"}]}";

    /** A DPoP proof (dpop+jwt, ES256, the P-256 public key in its jwk header). */
    static final String DPOP = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwidXNlIjoic2lnIiwiY3J2IjoiUC0yNTYi"
            + "LCJraWQiOiJLSWFjWGh6M2lZdWVoMmlJU3h1QzVESHkwU2d4NDdCbkZJREtJTERnQUZVIiwieCI6IkE3WnVod3ZjYjdFZ2gwalNU"
            + "VnMwMnpKdUpiSzY4Z2s2b0ZYTXQyN3ppUUkiLCJ5IjoiX3RXR2tERkpVQVA5bjdfTk1SbTBCdTU3VkoweTJSVXZWbmg2WFVPLXpi"
            + "RSIsImFsZyI6IkVTMjU2In19.eyJodG0iOiJQT1NUIiwiaHR1IjoiaHR0cHM6Ly9wcmltaW5nLmludmFsaWQvdG9rZW4iLCJpYXQ"
            + "iOjE3OTU5NjgwMDAsImp0aSI6InByaW1pbmctcHJvb2YifQ.tzI3x8OibtZGQOmlcDx28gXXc3k-u2BVe8HLUroHNdsvXyJrpYEE"
            + "RA0QFdLlHD3-L6-SKC5aiNwe4RWSDk3-sw";

    /** A private_key_jwt client assertion (ES256, kid of CLIENT_JWKS). */
    static final String ASSERTION = "eyJraWQiOiJLSWFjWGh6M2lZdWVoMmlJU3h1QzVESHkwU2d4NDdCbkZJREtJTERnQUZVIiwiYWxnIjoiRVMyNTYifQ.eyJpc3MiO"
            + "iJwcmltaW5nLWNsaWVudCIsInN1YiI6InByaW1pbmctY2xpZW50IiwiYXVkIjoiaHR0cHM6Ly9wcmltaW5nLmludmFsaWQiLCJle"
            + "HAiOjE3OTU5NjgwNjAsImlhdCI6MTc5NTk2ODAwMCwianRpIjoicHJpbWluZy1hc3NlcnRpb24ifQ.8NwJmxWAZ6Lu4Z1F5rXu9m"
            + "P4tyavfXXKS5oXFVDSIvrMK0xe74XbjbjTNuSzMVtRetMAY14GXU7h_hwkB0_2sw";

    /** An RFC 9068 access token (at+jwt, PS256, kid of the RSA key in SERVER_JWKS). */
    static final String AT = "eyJraWQiOiJOczV0WGpFMjFERS1pdzB3YzlEWTNuLTE2TUtncWRXZXFUZDY0ckxhUXFNIiwidHlwIjoiYXQrand0IiwiYWxnIjoi"
            + "UFMyNTYifQ.eyJzdWIiOiJwcmltaW5nLXVzZXIiLCJhdWQiOiJodHRwczovL3ByaW1pbmcuaW52YWxpZCIsInNjb3BlIjoib3Blb"
            + "mlkIiwiaXNzIjoiaHR0cHM6Ly9wcmltaW5nLmludmFsaWQiLCJjbmYiOnsiamt0IjoiS0lhY1hoejNpWXVlaDJpSVN4dUM1REh5M"
            + "FNneDQ3Qm5GSURLSUxEZ0FGVSJ9LCJleHAiOjE3OTU5NjgzMDAsImlhdCI6MTc5NTk2ODAwMCwianRpIjoicHJpbWluZy10b2tlb"
            + "iIsImNsaWVudF9pZCI6InByaW1pbmctY2xpZW50In0.HlZJXT6oo8WTy7dPeR52-CM3M0iZOrBIptORrwKd8g4eC_fdKmHIzVSIN"
            + "uhWGqDowIJvri-eS-0g9_IxVsjHM5brPMgmPS6MSfxOJRcVcO9pCWyk7wJjCe4CmpQfbvDE1T_vvvHTCHWC_X5NBE7iljZ9AV63N"
            + "0hTLFdTGQJb-FE_ra6i4Lhqtat9jIAt3jzfFZlARhDd6CrprA_lazST_e9mYajGuDOsQbK4U_5PJ-u_APP3EBP1BlcTSHjBj_ntv"
            + "4md0LnRFhqMtuGWecUISyTsw7WaT-zdSaF5G7QQPlW-22xuUvbnl1DxvoWKI0OLLy4B_B6RIA3dCszncxHnpdZNyOIlNRYMKaCGB"
            + "gORGmHdAuaZcXAqmBmmZNwfoCjhfdosnDywoIgYJvgX2grP_BUAGx36B1YWYY0ik1KEYwJldffxI7lcODhxvgIcKUevsY1zkjWBc"
            + "DC-mB6t1EYXKCFFqs5H_IYiGn0xdvS-lCPbLl8IwQaLIg-F_Kixmd3b";

    private PrimingMaterial() {
    }
}
