package io.doorpair.crypto.internal;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Reads the URIs of a subjectAltName extension. */
public final class SubjectAltNames {
  private SubjectAltNames() {}

  /**
   * Returns the uniformResourceIdentifier entries of a DER-encoded {@code GeneralNames}, in order.
   *
   * @throws IllegalArgumentException if the encoding is malformed
   */
  public static List<String> uris(byte[] generalNames) {
    List<String> uris = new ArrayList<>();
    for (GeneralName name : GeneralNames.getInstance(generalNames).getNames()) {
      if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
        uris.add(ASN1IA5String.getInstance(name.getName()).getString());
      }
    }
    return uris;
  }
}
