// Word lists for the "change my MFA phone" intent family, after normalisation (lower case, no accents, no
// punctuation; "ß" -> "ss"). A phrase is one or more words that must appear in order.
export type Language = 'en' | 'de' | 'es' | 'fr';
export type Concept =
  | 'topic'
  | 'weakTopic'
  | 'phone'
  | 'weakPhone'
  | 'method'
  | 'change'
  | 'add'
  | 'remove'
  | 'default'
  | 'office'
  | 'alternate'
  | 'mobile'
  | 'help'
  | 'cancel'
  | 'device'
  | 'swapDevice'
  | 'greeting'
  | 'thanks'
  | 'lost'
  | 'human'
  | 'password'
  | 'passkey'
  | 'retire'
  | 'codes'
  | 'notSecurity';

type Lexicon = Record<Concept, Partial<Record<Language, string[]>>>;

export const LEXICON: Lexicon = {
  // Words that on their own say "MFA / security info".
  topic: {
    en: [
      'mfa',
      '2fa',
      '2 fa',
      'two factor',
      '2 factor',
      'multi factor',
      'multifactor',
      'second factor',
      'two step',
      '2 step',
      'verification',
      'security info',
      'security information',
      'security details',
      'security phone',
      'authenticator',
      'authentication',
      'proof up',
      'proofup',
      'otp',
      'additional security verification',
      'security verification',
      'sign in methods',
      'mysignins',
      'my sign ins',
    ],
    de: [
      'zwei faktor',
      'anmeldemethode',
      'anmeldemethoden',
      'anmeldeverfahren',
      'zweifaktor',
      'zwei faktor authentifizierung',
      '2 faktor',
      'mehrstufige',
      'mehrfaktor',
      'sicherheitsinformationen',
      'sicherheitsinfo',
      'authentifizierung',
      'verifizierung',
      'authenticator',
    ],
    es: ['dos factores', 'doble factor', 'verificacion', 'autenticacion', 'informacion de seguridad', 'dos pasos'],
    fr: [
      'double authentification',
      'deux facteurs',
      'authentification',
      'verification',
      'informations de securite',
      'infos de securite',
      'double facteur',
    ],
  },
  // Security context only together with a phone or a method word ("login phone" yes, "login name" no).
  weakTopic: {
    en: ['sign in', 'signin', 'login', 'log in', 'logon', 'security', 'verify'],
    de: ['anmeldung', 'anmelden', 'login', 'sicherheit'],
    es: ['inicio de sesion', 'iniciar sesion', 'seguridad', 'acceso'],
    fr: ['connexion', 'securite', 'se connecter'],
  },
  phone: {
    en: [
      'phone',
      'phones',
      'phone number',
      'mobile',
      'cell',
      'cellphone',
      'cell phone',
      'telephone',
      'landline',
      'sms',
      'text message',
    ],
    de: [
      'telefon',
      'telefonnummer',
      'handy',
      'handynummer',
      'mobilnummer',
      'rufnummer',
      'festnetz',
      'mobiltelefon',
      'mobilfunknummer',
      'burotelefon',
      'buerotelefon',
      'diensttelefon',
      'festnetznummer',
    ],
    es: ['telefono', 'movil', 'celular', 'numero de telefono', 'numero de movil'],
    fr: ['telephone', 'portable', 'numero de telephone', 'mobile', 'tel'],
  },
  // "number" counts as a phone only when it is not "the number of ...".
  weakPhone: {
    en: ['number'],
    de: ['nummer'],
    es: ['numero'],
    fr: ['numero'],
  },
  method: {
    en: ['method', 'methods', 'option', 'factor'],
    de: ['methode', 'verfahren'],
    es: ['metodo'],
    fr: ['methode', 'moyen'],
  },
  change: {
    en: [
      'change',
      'changed',
      'changing',
      'update',
      'updated',
      'updating',
      'replace',
      'switch',
      'modify',
      'edit',
      'new',
      'set',
      'setup',
      'set up',
      'reset',
      'correct',
      'move',
      'swap',
      'manage',
      // "my 2FA number is wrong", "stop texting codes to my old phone": a change, said as a problem.
      'wrong',
      'incorrect',
      'outdated',
      'out of date',
      'stop texting',
      'stop sending',
      'stop calling',
    ],
    de: [
      'andern',
      'aendern',
      'anderung',
      'aktualisieren',
      'wechseln',
      'neue',
      'neues',
      'neuer',
      'neu',
      'tauschen',
      'austauschen',
      'ersetzen',
      'umstellen',
      'einrichten',
      'verwalten',
      'falsch',
      'veraltet',
    ],
    es: [
      'cambiar',
      'cambio',
      'actualizar',
      'nuevo',
      'nueva',
      'modificar',
      'reemplazar',
      'configurar',
      'cambie',
      'incorrecto',
      'equivocado',
    ],
    fr: [
      'changer',
      'modifier',
      'mettre a jour',
      'mise a jour',
      'nouveau',
      'nouvelle',
      'remplacer',
      'actualiser',
      'changement',
      'errone',
      'incorrect',
    ],
  },
  add: {
    en: ['add', 'register', 'enroll', 'enrol'],
    de: ['hinzufugen', 'hinzufuegen', 'registrieren', 'erganzen'],
    es: ['anadir', 'agregar', 'registrar'],
    fr: ['ajouter', 'enregistrer'],
  },
  remove: {
    en: ['remove', 'delete', 'deregister', 'unregister', 'get rid of', 'drop'],
    de: ['entfernen', 'loschen', 'loeschen'],
    es: ['eliminar', 'quitar', 'borrar'],
    fr: ['supprimer', 'retirer', 'enlever'],
  },
  default: {
    en: ['default', 'preferred', 'primary'],
    de: ['standard', 'standardmethode', 'bevorzugt', 'bevorzugte'],
    es: ['predeterminado', 'predeterminada', 'preferido', 'principal'],
    fr: ['par defaut', 'prefere', 'preferee', 'principale'],
  },
  office: {
    en: ['office', 'desk', 'desk phone', 'work phone', 'landline', 'business phone', 'extension'],
    de: ['buro', 'buero', 'burotelefon', 'festnetz', 'festnetznummer', 'diensttelefon', 'dienstlich', 'tischtelefon'],
    es: ['oficina', 'trabajo', 'fijo'],
    fr: ['bureau', 'fixe', 'travail'],
  },
  alternate: {
    en: ['alternate', 'alternative', 'alt', 'second', 'secondary', 'backup', 'other'],
    de: ['zweite', 'zweites', 'alternativ', 'alternative', 'alternatives', 'andere'],
    es: ['alternativo', 'alternativa', 'secundario', 'otro', 'segundo'],
    fr: ['secours', 'autre', 'alternatif', 'deuxieme', 'secondaire'],
  },
  mobile: {
    en: ['mobile', 'cell', 'cellphone', 'sms'],
    de: ['handy', 'mobil', 'mobiltelefon', 'mobilnummer', 'handynummer'],
    es: ['movil', 'celular'],
    fr: ['portable', 'mobile'],
  },
  help: {
    en: ['help', 'what can you do', 'how does this work', 'options'],
    de: ['hilfe', 'was kannst du'],
    es: ['ayuda', 'que puedes hacer'],
    fr: ['aide', 'que sais tu faire'],
  },
  cancel: {
    en: ['cancel', 'stop', 'quit', 'never mind', 'nevermind', 'abort'],
    de: ['abbrechen', 'stopp', 'abbruch'],
    es: ['cancelar', 'parar'],
    fr: ['annuler', 'arreter'],
  },
  // The phone as a device: ordering, repairing, a broken screen. Not something Proofup does; it must not start a change.
  device: {
    en: [
      'order',
      'ordering',
      'buy',
      'purchase',
      'repair',
      'repairing',
      'fix',
      'broken',
      'cracked',
      'screen',
      'battery',
      'charger',
      'upgrade',
      'handset',
      'device',
      'smartphone',
      'replacement',
    ],
    de: [
      'bestellen',
      'kaufen',
      'reparieren',
      'reparatur',
      'kaputt',
      'defekt',
      'bildschirm',
      'akku',
      'ladegerat',
      'gerat',
    ],
    es: ['pedir', 'comprar', 'reparar', 'reparacion', 'roto', 'rota', 'pantalla', 'bateria', 'cargador', 'dispositivo'],
    fr: ['commander', 'acheter', 'reparer', 'reparation', 'casse', 'ecran', 'batterie', 'chargeur', 'appareil'],
  },
  // "replace my phone" / "a new phone": the device, unless a number or the MFA topic is named too.
  swapDevice: {
    en: ['replace', 'new'],
    de: ['ersetzen', 'austauschen', 'neues', 'neue', 'neu'],
    es: ['reemplazar', 'nuevo', 'nueva'],
    fr: ['remplacer', 'nouveau', 'nouvelle'],
  },
  greeting: {
    en: ['hi', 'hello', 'hey', 'hi there', 'good morning', 'good afternoon', 'good evening'],
    de: ['hallo', 'guten morgen', 'guten tag', 'servus', 'moin'],
    es: ['hola', 'buenos dias', 'buenas tardes', 'buenas'],
    fr: ['bonjour', 'salut', 'bonsoir'],
  },
  thanks: {
    en: ['thanks', 'thank you', 'thx', 'cheers', 'ty', 'great thanks'],
    de: ['danke', 'vielen dank', 'dankeschon'],
    es: ['gracias', 'muchas gracias'],
    fr: ['merci', 'merci beaucoup'],
  },
  // "I lost my phone", "my phone was stolen": the most common MFA ticket.
  lost: {
    en: ['lost', 'lose', 'stolen', 'missing', 'left my phone'],
    de: ['verloren', 'gestohlen', 'geklaut', 'verlegt', 'weg'],
    es: ['perdido', 'perdi', 'robado', 'robaron', 'extraviado'],
    fr: ['perdu', 'vole', 'egare'],
  },
  // "talk to a human", "I need someone from IT".
  human: {
    en: [
      'human',
      'person',
      'agent',
      'someone',
      'somebody',
      'helpdesk',
      'help desk',
      'service desk',
      'support',
      'technician',
    ],
    de: ['mensch', 'mitarbeiter', 'jemand', 'helpdesk', 'support', 'servicedesk', 'techniker'],
    es: ['humano', 'persona', 'agente', 'alguien', 'soporte', 'tecnico', 'mesa de ayuda'],
    fr: ['humain', 'personne', 'agent', 'quelqu un', 'support', 'technicien', 'conseiller'],
  },
  // Passkeys and their kin: the way off phones (1 February 2027).
  passkey: {
    en: ['passkey', 'passkeys', 'pass key', 'security key', 'fido', 'fido2', 'windows hello', 'phishing resistant'],
    de: ['passkey', 'passkeys', 'hauptschlussel', 'sicherheitsschlussel', 'windows hello', 'fido2'],
    es: ['clave de acceso', 'claves de acceso', 'passkey', 'llave de seguridad', 'clave de seguridad', 'windows hello'],
    fr: ['cle d acces', 'cles d acces', 'passkey', 'cle de securite', 'windows hello', 'fido2'],
  },
  // The end of text and call codes, as people say it ("my text codes are going away", "keeps asking me to register").
  retire: {
    en: [
      'going away',
      'go away',
      'stop working',
      'stops working',
      'ending',
      'retired',
      'retirement',
      'retiring',
      'no longer work',
      'keeps asking',
      'asks me to register',
      'deadline',
      'february',
    ],
    de: ['abgeschafft', 'eingestellt', 'nicht mehr', 'fallt weg', 'fallen weg', 'endet', 'februar'],
    es: ['desaparecen', 'dejan de funcionar', 'ya no', 'se acaban', 'febrero'],
    fr: ['disparaissent', 'ne marchent plus', 'ne fonctionnent plus', 'plus de', 'fevrier', 'supprimes'],
  },
  codes: {
    en: ['code', 'codes', 'text codes', 'sms codes', 'text messages', 'texts'],
    de: ['code', 'codes', 'sms codes'],
    es: ['codigo', 'codigos', 'sms'],
    fr: ['code', 'codes', 'sms'],
  },
  // Phone numbers that are not sign-in methods: never start a change of security info for these.
  notSecurity: {
    en: ['emergency contact', 'emergency', 'next of kin', 'contact details', 'home address', 'payroll', 'voicemail'],
    de: ['notfallkontakt', 'notfall', 'notfallnummer', 'adresse', 'gehaltsabrechnung'],
    es: ['contacto de emergencia', 'emergencia', 'direccion', 'nomina'],
    fr: ['contact d urgence', 'urgence', 'adresse', 'paie'],
  },
  password: {
    en: ['password', 'passcode', 'pwd'],
    de: ['passwort', 'kennwort'],
    es: ['contrasena', 'clave'],
    fr: ['mot de passe', 'mdp'],
  },
};

/** Words after "number" that make it a count, not a phone ("the number of seats"). */
export const COUNT_MARKERS = new Set(['of', 'von', 'der', 'de', 'des', 'du', 'la']);
