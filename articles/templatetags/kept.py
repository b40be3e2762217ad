"""``{% kept seconds "name" vary… %}…{% endkept %}``: a block of markup rendered once per content.

Like Django's ``{% cache %}`` tag, but the block is kept under the site's
generation (``pagecache.kept``): a story, section or tag saved makes it
stale at once, it never outlives the next scheduled publication, and a
deploy never serves last release's markup. Its key holds the template's
name, the block's name and the values it varies on. Use it for blocks every
reader sees alike and that are costly to build (the masthead, the related
stories, Most Popular): never around a form, a token or anything that
depends on who is reading.

The values the block reads should be lazy (``SimpleLazyObject``): when the
block is kept they are never worked out, and neither are their queries.
Within ``pagecache.nothing_kept()`` every block is rendered afresh.
"""

import hashlib

from django import template

from ..pagecache import kept

register = template.Library()


@register.tag("kept")
def do_kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes the seconds to keep the block and its name at least.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    seconds, name, *vary_on = (parser.compile_filter(bit) for bit in bits[1:])
    return KeptNode(nodelist, seconds, name, vary_on, parser.origin.template_name if parser.origin else "")


class KeptNode(template.Node):
    def __init__(self, nodelist, seconds, name, vary_on, template_name):
        self.nodelist, self.seconds, self.name, self.vary_on = nodelist, seconds, name, vary_on
        self.template_name = template_name

    def render(self, context):
        values = [self.template_name, self.name.resolve(context), *(value.resolve(context) for value in self.vary_on)]
        name = f"fragment:{_digest(repr(values))}"
        html, keep = kept(name)
        if keep:
            html = keep(self.nodelist.render(context), int(self.seconds.resolve(context)))
        return html


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
