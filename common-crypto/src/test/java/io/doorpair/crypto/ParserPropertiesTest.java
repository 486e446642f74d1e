package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestCsrs;
import io.doorpair.crypto.testing.TestPki;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The parsers of network and file input never throw anything but {@link CryptoException}, for
 * random text and for valid input with mutations (flipped bytes, cuts, insertions).
 */
class ParserPropertiesTest {
  private static final String CSR_PEM =
      CertificateRequest.create(
              TestPki.pooledKey(5), "alice@portal.example.com", Optional.of(UUID.randomUUID()))
          .pem();
  private static final byte[] CSR_DER = CertificateRequest.parse(CSR_PEM).encoded();
  private static final TestPki.Leaf LEAF =
      TestPki.shared().issueClient("bob@portal.example.com", Optional.of(UUID.randomUUID()));
  private static final String BUNDLE =
      LEAF.agentPem()
          + Pem.publicKey(LEAF.keys().getPublic())
          + Pem.crl(TestPki.shared().crl(BigInteger.TEN));

  private static final byte[][] DERS = ders();

  private static final List<Function<String, ?>> PEM_PARSERS =
      List.of(
          Pem::parseCertificate,
          Pem::parseCertificates,
          Pem::parsePrivateKey,
          Pem::parsePublicKey,
          Pem::parseCrl);

  @Property(tries = 300)
  void csr_parse_of_random_text_only_throws_crypto_exception(@ForAll("texts") String text) {
    onlyCryptoException(() -> CertificateRequest.parse(text));
  }

  @Property(tries = 400)
  void csr_parse_of_mutated_der_only_throws_crypto_exception(
      @ForAll("derMutations") Mutation mutation) {
    String pem = TestCsrs.pem("CERTIFICATE REQUEST", mutation.apply(CSR_DER));
    onlyCryptoException(() -> CertificateRequest.parse(pem));
  }

  @Property(tries = 300)
  void csr_parse_of_mutated_pem_only_throws_crypto_exception(
      @ForAll("textMutations") TextMutation mutation) {
    onlyCryptoException(() -> CertificateRequest.parse(mutation.apply(CSR_PEM)));
  }

  @Property(tries = 200)
  void pem_parsers_of_random_text_only_throw_crypto_exception(@ForAll("texts") String text) {
    for (Function<String, ?> parser : PEM_PARSERS) {
      onlyCryptoException(() -> parser.apply(text));
    }
  }

  @Property(tries = 300)
  void pem_parsers_of_mutated_bundle_only_throw_crypto_exception(
      @ForAll("textMutations") TextMutation mutation) {
    String text = mutation.apply(BUNDLE);
    for (Function<String, ?> parser : PEM_PARSERS) {
      onlyCryptoException(() -> parser.apply(text));
    }
  }

  @Property(tries = 300)
  void pem_parsers_of_mutated_der_only_throw_crypto_exception(
      @ForAll("derMutations") Mutation mutation, @ForAll @IntRange(min = 0, max = 4) int which) {
    String[] labels = {"CERTIFICATE", "PRIVATE KEY", "PUBLIC KEY", "X509 CRL", "RSA PRIVATE KEY"};
    String pem = TestCsrs.pem(labels[which], mutation.apply(DERS[which]));
    for (Function<String, ?> parser : PEM_PARSERS) {
      onlyCryptoException(() -> parser.apply(pem));
    }
  }

  @Property(tries = 50)
  void pem_round_trips_public_keys(
      @ForAll @IntRange(min = 0, max = TestPki.LEAF_POOL - 1) int slot) {
    var key = TestPki.pooledKey(slot).getPublic();
    assertThat(Pem.parsePublicKey(Pem.publicKey(key)).getEncoded()).isEqualTo(key.getEncoded());
  }

  private static byte[][] ders() {
    try {
      return new byte[][] {
        LEAF.certificate().getEncoded(),
        LEAF.keys().getPrivate().getEncoded(),
        LEAF.keys().getPublic().getEncoded(),
        TestPki.shared().crl(BigInteger.ONE).getEncoded(),
        PrivateKeyInfo.getInstance(LEAF.keys().getPrivate().getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded()
      };
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(300);
    Arbitrary<String> any = Arbitraries.strings().ofMaxLength(200);
    Arbitrary<String> pemish =
        Combinators.combine(
                Arbitraries.of(
                    "CERTIFICATE REQUEST",
                    "CERTIFICATE",
                    "PRIVATE KEY",
                    "X509 CRL",
                    "RSA PRIVATE KEY",
                    "PUBLIC KEY"),
                Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=\n ").ofMaxLength(400))
            .as(
                (label, body) ->
                    "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n");
    Arbitrary<String> base64Der =
        Combinators.combine(
                Arbitraries.of(
                    "CERTIFICATE REQUEST",
                    "CERTIFICATE",
                    "PRIVATE KEY",
                    "X509 CRL",
                    "RSA PRIVATE KEY",
                    "PUBLIC KEY"),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300))
            .as((label, bytes) -> TestCsrs.pem(label, withSequenceHeader(bytes)));
    return Arbitraries.oneOf(ascii, any, pemish, base64Der);
  }

  private static byte[] withSequenceHeader(byte[] bytes) {
    byte[] out = bytes.clone();
    out[0] = 0x30;
    return out;
  }

  @Provide
  Arbitrary<Mutation> derMutations() {
    Arbitrary<Mutation> flip =
        Combinators.combine(
                Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(1, 255))
            .as(
                (pos, mask) ->
                    der -> {
                      byte[] out = der.clone();
                      out[pos % out.length] ^= mask.byteValue();
                      return out;
                    });
    Arbitrary<Mutation> set =
        Combinators.combine(
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.of(0x00, 0x7F, 0x80, 0x81, 0x82, 0xFF, 0x30, 0x05))
            .as(
                (pos, value) ->
                    der -> {
                      byte[] out = der.clone();
                      out[pos % out.length] = value.byteValue();
                      return out;
                    });
    Arbitrary<Mutation> cut =
        Arbitraries.integers()
            .between(1, 100_000)
            .map(n -> der -> Arrays.copyOf(der, Math.max(1, der.length - (n % der.length))));
    Arbitrary<Mutation> append =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(8)
            .map(
                extra ->
                    der -> {
                      byte[] out = Arrays.copyOf(der, der.length + extra.length);
                      System.arraycopy(extra, 0, out, der.length, extra.length);
                      return out;
                    });
    Arbitrary<Mutation> several =
        flip.list()
            .ofMinSize(2)
            .ofMaxSize(6)
            .map(
                list ->
                    der -> {
                      byte[] out = der;
                      for (Mutation m : list) {
                        out = m.apply(out);
                      }
                      return out;
                    });
    return Arbitraries.oneOf(flip, set, cut, append, several);
  }

  @Provide
  Arbitrary<TextMutation> textMutations() {
    Arbitrary<Character> chars =
        Arbitraries.chars().with('-', '\n', '\r', ' ', 'A', '=', ':', '/', '+', '\u00e9', '\u0000');
    Arbitrary<TextMutation> replace =
        Combinators.combine(Arbitraries.integers().between(0, 100_000), chars)
            .as(
                (pos, c) ->
                    text -> {
                      int i = pos % text.length();
                      return text.substring(0, i) + c + text.substring(i + 1);
                    });
    Arbitrary<TextMutation> insert =
        Combinators.combine(
                Arbitraries.integers().between(0, 100_000), Arbitraries.strings().ofMaxLength(20))
            .as(
                (pos, s) ->
                    text -> {
                      int i = pos % text.length();
                      return text.substring(0, i) + s + text.substring(i);
                    });
    Arbitrary<TextMutation> delete =
        Combinators.combine(
                Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(1, 80))
            .as(
                (pos, n) ->
                    text -> {
                      int i = pos % text.length();
                      return text.substring(0, i) + text.substring(Math.min(text.length(), i + n));
                    });
    Arbitrary<TextMutation> base64Swap =
        Arbitraries.integers()
            .between(0, 100_000)
            .map(
                pos ->
                    text -> {
                      String[] lines = text.split("\n", -1);
                      int i = pos % lines.length;
                      if (!lines[i].startsWith("-----") && !lines[i].isEmpty()) {
                        byte[] decoded = Base64.getMimeDecoder().decode(lines[i]);
                        if (decoded.length > 0) {
                          decoded[pos % decoded.length] ^= 0x40;
                        }
                        lines[i] = Base64.getEncoder().encodeToString(decoded);
                      }
                      return String.join("\n", lines);
                    });
    return Arbitraries.oneOf(replace, insert, delete, base64Swap);
  }

  interface Mutation {
    byte[] apply(byte[] der);
  }

  interface TextMutation {
    String apply(String text);
  }

  private static void onlyCryptoException(Runnable call) {
    try {
      call.run();
    } catch (CryptoException expected) {
      assertThat(expected.code()).isNotBlank();
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
